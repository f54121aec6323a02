# Heard's Spanish style: "mié 9 dic 2026", "mié 9 dic 2026, 10:00", "diciembre de 2026" (see config/formats).
DATE_FORMAT = "D j b Y"
DATETIME_FORMAT = "D j b Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = "D j b"
SHORT_DATE_FORMAT = "D j b Y"
SHORT_DATETIME_FORMAT = "D j b Y, H:i"
# ISO first: it is what a DateInput without its own format shows, and what browsers send.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATE_INPUT_HINT = "DD/MM/YYYY"  # the glossary keeps YYYY-MM-DD as it is; DD/MM/YYYY matches it
