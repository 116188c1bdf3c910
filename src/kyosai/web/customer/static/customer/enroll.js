// Live feedback on the enrollment form: while the applicant types, post the form as it stands to
// the check URL and show the answer (the confirmation's own checks, rendered by the server) in the
// polite live region. Without this script the confirmation step shows the same after submitting.
(() => {
  const form = document.querySelector("form[data-check-url]");
  const region = document.getElementById("enroll-feedback");
  if (!form || !region) return;
  let timer;
  let latest = 0;
  const check = async () => {
    const asked = ++latest;
    const response = await fetch(form.dataset.checkUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    // Only the answer to the latest input is shown, whatever order the answers arrive in.
    if (response.ok && asked === latest) region.innerHTML = await response.text();
  };
  const later = () => {
    clearTimeout(timer);
    // A failed check leaves the last answer shown; the confirmation step checks again anyway.
    timer = setTimeout(() => check().catch(() => {}), 600);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
