# Executions and their history (issue 5) are routed here.
urlpatterns: list = []
