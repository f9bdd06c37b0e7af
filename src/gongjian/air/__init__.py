"""Air quality in the platform: stations, hourly data, AQI, statistics, rankings and the
year's targets, on top of ``gongjian.standards`` and ``gongjian.analytics``."""
