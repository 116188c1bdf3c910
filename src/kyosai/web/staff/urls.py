from django.urls import path

from kyosai.web.staff import campaigns, intake, payouts, reports, scorecards, views

app_name = "staff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("approvals/", views.approvals, name="approvals"),
    path("procedures/<int:pk>/", views.procedure, name="procedure"),
    path("procedures/<int:pk>/claim/", views.claim, name="claim"),
    path(
        "procedures/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    path("procedures/<int:pk>/release/", views.release, name="release"),
    path("procedures/<int:pk>/second-approval/", views.second_approval, name="second_approval"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/", views.member, name="member"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("audit/", views.audit, name="audit"),
    path("billing/", views.billing_runs, name="billing_runs"),
    path("billing/<int:pk>/", views.billing_run, name="billing_run"),
    path("campaigns/", campaigns.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", campaigns.campaign, name="campaign"),
    path(
        "campaigns/<int:pk>/follow-ups.csv",
        campaigns.follow_ups_csv,
        name="campaign_follow_ups",
    ),
    path("payouts/", payouts.payouts, name="payouts"),
    path("payouts/<int:pk>/reissue/", payouts.reissue, name="payout_reissue"),
    path("payouts/files/<int:pk>/", payouts.transfer_file, name="transfer_file"),
    path(
        "payouts/files/<int:pk>/download/",
        payouts.transfer_file_download,
        name="transfer_file_download",
    ),
    path("intake/", intake.intake, name="intake"),
    path("intake/files/<int:pk>/", intake.intake_file, name="intake_file"),
    path("intake/keyings/", intake.keyings, name="intake_keyings"),
    path("intake/keyings/<int:pk>/", intake.keying, name="intake_keying"),
    path("intake/forms/<int:pk>/letter/", intake.letter, name="intake_letter"),
    path("reports/", reports.reports, name="reports"),
    path("reports/plan/", reports.plan, name="report_plan"),
    path("reports/plan/edit/", reports.plan_edit, name="report_plan_edit"),
    path("reports/achievement/", reports.achievement_report, name="report_achievement"),
    path("reports/campaign/", reports.campaign_report, name="report_campaign"),
    path("reports/model-prefectures/", reports.model_report, name="report_model"),
    path("reports/ranking/", reports.ranking_report, name="report_ranking"),
    path("scorecards/", scorecards.online, name="scorecard_online"),
    path(
        "scorecards/online/<str:fmt>/", scorecards.online_download, name="scorecard_online_download"
    ),
    path("scorecards/operations/", scorecards.operations_page, name="scorecard_operations"),
    path(
        "scorecards/operations/<str:fmt>/",
        scorecards.operations_download,
        name="scorecard_operations_download",
    ),
    path(
        "contracts/<int:pk>/deemed-cancellation/",
        views.deemed_cancellation,
        name="deemed_cancellation",
    ),
]
