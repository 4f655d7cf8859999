"""The fleet in the admin: venues, enrolment, heartbeats and the kiosks' health (issue 22)."""
