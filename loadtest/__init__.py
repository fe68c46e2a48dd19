"""Province-scale data and the month-end load test (`make loadtest`, never part of `make test`)."""
