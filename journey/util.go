package journey

import "time"

func timeOfMinute(m int64) time.Time { return time.Unix(m*60, 0).UTC() }
