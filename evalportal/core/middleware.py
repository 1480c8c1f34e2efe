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
