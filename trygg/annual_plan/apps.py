from django.apps import AppConfig


class AnnualPlanConfig(AppConfig):
    name = "trygg.annual_plan"
    label = "annual_plan"
