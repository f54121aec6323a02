# Heard's English style: "Wed 9 Dec 2026", "Wed 9 Dec 2026, 10:00", "December 2026" (see config/formats).
DATE_FORMAT = "D j M Y"
DATETIME_FORMAT = "D j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "D j M"
SHORT_DATE_FORMAT = "D j M Y"
SHORT_DATETIME_FORMAT = "D j M Y, H:i"
# ISO first: it is what a DateInput without its own format shows, and what browsers send.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]
# How a typed date is written, shown beside date fields and in their error message.
DATE_INPUT_HINT = "MM/DD/YYYY"
