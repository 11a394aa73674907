"""Where repositories live. Each source yields `RepoView`s; none knows what a manifest means."""
