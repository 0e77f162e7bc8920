"""What the tests and the benchmarks both start: the app as a user starts it, nginx in front of
replicas, and Debian's Chromium under Playwright. The app never imports this package."""
