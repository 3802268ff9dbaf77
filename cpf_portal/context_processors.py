from django.conf import settings


def portal(request):
    return {"PORTAL_DEMO": settings.PORTAL_DEMO}
