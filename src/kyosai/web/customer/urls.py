from django.urls import path

from kyosai.web.customer import (
    agency_confirmation,
    benefits,
    certificates,
    contract_loans,
    inbox,
    loans,
    reconfirmation,
    views,
)

app_name = "customer"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("portal/", views.home, name="home"),
    path("portal/inbox/", inbox.inbox, name="inbox"),
    path("portal/inbox/<int:pk>/", inbox.notice, name="notice"),
    path("portal/inbox/<int:pk>/document/", inbox.notice_document, name="notice_document"),
    path("reconfirm/<str:token>/", reconfirmation.reconfirm, name="reconfirm"),
    path("portal/enroll/<str:scheme>/", views.enroll, name="enroll"),
    path("portal/enroll/<str:scheme>/submit/", views.enroll_submit, name="enroll_submit"),
    path("portal/enroll/<str:scheme>/check/", views.enroll_check, name="enroll_check"),
    path("portal/procedures/<int:pk>/", views.procedure, name="procedure"),
    path(
        "portal/confirm/<str:token>/",
        agency_confirmation.agency_confirmation,
        name="agency_confirmation",
    ),
    path("portal/procedures/<int:pk>/fix/", views.fix_enrollment, name="fix_enrollment"),
    path("portal/contracts/<int:pk>/", views.contract, name="contract"),
    path("portal/contracts/<int:pk>/premium/", views.premium_change, name="premium_change"),
    path("portal/contracts/<int:pk>/cancel/", views.cancellation, name="cancellation"),
    path("portal/contracts/<int:pk>/certificate/", views.certificate, name="certificate"),
    path(
        "portal/contracts/<int:pk>/cancellation-statement/",
        views.cancellation_statement,
        name="cancellation_statement",
    ),
    path("portal/contracts/<int:pk>/account/", views.mandate_change, name="mandate_change"),
    path("portal/profile/", views.party_change, name="party_change"),
    path("portal/contracts/<int:pk>/prepayment/", views.prepayment, name="prepayment"),
    path("portal/contracts/<int:pk>/suspension/", views.suspension, name="suspension"),
    path("portal/contracts/<int:pk>/loan/", loans.kyosaikin_loan, name="kyosaikin_loan"),
    path("portal/contracts/<int:pk>/loans/<int:loan_pk>/", loans.loan, name="loan"),
    path("portal/contracts/<int:pk>/temporary-loan/", loans.temporary_loan, name="temporary_loan"),
    path(
        "portal/contracts/<int:pk>/contract-loan/<str:kind>/",
        contract_loans.contract_loan,
        name="contract_loan",
    ),
    path("portal/contracts/<int:pk>/benefit/", benefits.benefit_claim, name="benefit_claim"),
    path(
        "portal/contracts/<int:pk>/benefit-notice/", benefits.benefit_notice, name="benefit_notice"
    ),
    path("portal/contracts/<int:pk>/tsusan/", benefits.tsusan, name="tsusan"),
    path(
        "portal/contracts/<int:pk>/certificates/",
        certificates.certificates,
        name="certificates",
    ),
    path("portal/certificates/<int:pk>/pdf/", certificates.certificate_pdf, name="certificate_pdf"),
    path("portal/certificates/<int:pk>/xml/", certificates.certificate_xml, name="certificate_xml"),
]
