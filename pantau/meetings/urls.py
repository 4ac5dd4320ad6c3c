"""Meeting pages, the public sign-in (/hadir/<token>/) and the calendars."""

from django.urls import path

from pantau.meetings import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("agreements/<int:agreement_pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/room/", views.meeting_room, name="meeting_room"),
    path("meetings/<int:pk>/qr.svg", views.meeting_qr, name="meeting_qr"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/attendance/", views.attendance_page, name="attendance"),
    path("meetings/<int:pk>/attendance/print/", views.attendance_print, name="attendance_print"),
    path("meetings/<int:pk>/attendance.pdf", views.attendance_pdf, name="attendance_pdf"),
    path("meetings/<int:pk>/sign-in/close/", views.sign_in_close, name="sign_in_close"),
    path("meetings/<int:pk>/sign-in/reopen/", views.sign_in_reopen, name="sign_in_reopen"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("attendance/<int:pk>/remove/", views.attendance_remove, name="attendance_remove"),
    path("decisions/<int:pk>/action/", views.decision_action, name="decision_action"),
    path("decisions/<int:pk>/drop/", views.decision_drop, name="decision_drop"),
    path("hadir/<str:token>/", views.sign_in, name="sign_in"),
    path("hadir/<str:token>/done/", views.sign_in_done, name="sign_in_done"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
