"""The pages' routes."""

from django.urls import path

from fairpivot.web.views import (
    analytics,
    auth,
    case,
    dashboard,
    health,
    packets,
    pages,
    papers,
    programs,
    representation,
    roles,
    team,
)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("login/", auth.sign_in, name="login"),
    path("logout/", auth.sign_out, name="logout"),
    path("", pages.home, name="home"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("me/", pages.my_case, name="my_case"),
    path("team/", team.my_team, name="my_team"),
    path("team/<str:employee_id>/open-case/", team.open_case, name="open_case"),
    path("me/representatives/", representation.invite, name="invite_representative"),
    path(
        "me/representatives/<int:pk>/withdraw/",
        representation.withdraw,
        name="withdraw_representative",
    ),
    path("represented/", representation.represented, name="represented"),
    path("panels/", pages.my_panels, name="my_panels"),
    path("access-log/", pages.access_log, name="access_log"),
    path("analytics/", analytics.org_analytics, name="org_analytics"),
    path("roles/", roles.roles_page, name="roles"),
    path("group-programs/", programs.programs_page, name="group_programs"),
    path("group-programs/<int:pk>/", programs.program_page, name="group_program"),
    path("group-programs/<int:pk>/disclosure.pdf", programs.program_pdf, name="group_program_pdf"),
    path("group-programs/<int:pk>/issue/", programs.program_issue, name="group_program_issue"),
    path("cases/<str:ref>/", case.case_page, name="case"),
    path("cases/<str:ref>/actions/<slug:name>/", case.take_action, name="take_action"),
    path("cases/<str:ref>/case-file.json", case.case_file, name="case_file"),
    path("cases/<str:ref>/ledger.json", case.ledger_file, name="ledger_file"),
    path("cases/<str:ref>/letters/<slug:name>/", papers.letter_preview, name="letter_preview"),
    path("cases/<str:ref>/documents/<int:seq>/", papers.case_document, name="case_document"),
    path("cases/<str:ref>/packet.pdf", packets.case_packet, name="case_packet"),
    path("cases/<str:ref>/record.zip", packets.own_record, name="own_record"),
]
