"""Date and time formats per language (`FORMAT_MODULE_PATH`): dd.mm.yyyy in Ukrainian, ISO
8601 (yyyy-mm-dd) in English; both accept either form as typed. Times are in Europe/Kyiv
(`TIME_ZONE`), 24-hour. Native `type=date` inputs send ISO whatever the browser shows, so
the widgets render ISO (`web.cases.forms.DateInput`) and ISO is accepted in both languages.
"""

# What both languages accept as typed (the first input format is also how a plain DateInput
# renders its value).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]
