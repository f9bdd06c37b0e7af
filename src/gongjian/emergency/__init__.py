"""Heavy-pollution emergency management (污染天气信息管理平台): warning standards, forecasts, warnings
and their notices, the emergency reduction list with its versions, plant measure sheets, the optimiser
and the daily report during orange and red warnings."""
