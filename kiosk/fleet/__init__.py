"""The kiosk's side of the fleet: enrolment with the admin and the heartbeat (issue 22)."""
