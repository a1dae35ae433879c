"""Time for schedules: cadences in a time zone, the clock, and the wait before a retry. Pure:
no Discord, no db."""
