"""A startup's file: one page that gathers what every domain knows of a startup (its cohorts and reports,
mentoring, services, funding raised, applications and decisions, its timeline). It sits in the outer layer
because it reads every domain and no domain reads it."""
