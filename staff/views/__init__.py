"""Staff view modules, one per area: auth, dashboard, triage, cases, lifecycle, compliments, advocacy, reports."""
