"""One structured log line per request: who asked for what, the answer and how long it took."""
import json
import logging
import time

logger = logging.getLogger("evalportal.requests")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(json.dumps({
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "user": user.get_username() if user is not None and user.is_authenticated else None,
            "ip": request.META.get("REMOTE_ADDR"),
        }, ensure_ascii=False))
        return response


class FailureMessageMiddleware:
    """A database that drops out or a full disk answers with a Chinese message, never a bare 500.

    The view's transaction has already rolled back when the exception reaches us, so the data stays as it
    was before the request; the page says so, and the browser's back button still holds what was typed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        import errno

        from django.db import DatabaseError
        from django.shortcuts import render

        if isinstance(exception, DatabaseError) and not isinstance(exception, _INTEGRITY_ERRORS):
            message = "数据库暂时无法连接，本次操作未保存，数据保持操作前的状态。请稍后重试；浏览器“后退”可找回刚才填写的内容。"
        elif isinstance(exception, OSError) and exception.errno == errno.ENOSPC:
            message = "服务器磁盘空间已满，本次上传或操作未保存，数据保持操作前的状态。请联系管理员。"
        else:
            return None
        logger.error(json.dumps({"path": request.path, "failure": type(exception).__name__,
                                 "detail": str(exception)[:300]}, ensure_ascii=False))
        return render(request, "errors/unavailable.html", {"message": message}, status=503)


def _integrity_errors():
    from django.db import IntegrityError
    return (IntegrityError,)


_INTEGRITY_ERRORS = _integrity_errors()
