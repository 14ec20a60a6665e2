from django.http import HttpResponse


def wheel(request):
    return HttpResponse()


item_list = item_detail = wheel
