"""The registry screens: organizations, instructors, officers, their forms and links,
and the registry's import and export actions."""
