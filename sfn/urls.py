# The Step Functions API endpoint (issue 9) is routed here.
urlpatterns: list = []
