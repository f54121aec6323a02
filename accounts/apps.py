from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and schools")

    def ready(self):
        from axes.signals import user_locked_out
        from celery.signals import task_postrun, task_prerun
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from accounts import checks  # noqa: F401  (registers the deploy checks)
        from accounts.data_versions import watch_task_end, watch_task_start
        from accounts.middleware import session_seen_now
        from accounts.services import sign_in_lock_record
        from accounts.signin import count_device_failure

        user_logged_in.connect(session_seen_now, dispatch_uid="heard-session-seen-now")
        user_locked_out.connect(sign_in_lock_record, dispatch_uid="heard-sign-in-locked")
        user_login_failed.connect(count_device_failure, dispatch_uid="heard-device-failure")
        task_prerun.connect(watch_task_start, dispatch_uid="heard-watch-task-start")
        task_postrun.connect(watch_task_end, dispatch_uid="heard-watch-task-end")
