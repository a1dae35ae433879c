"""Time for schedules: cadences in a time zone, and the clock. Pure: no Discord, no db."""
