"""The news pipeline: pure Python, no Django.

One module per step of the data flow (DESIGN.md section 2):

- ``fetch``      the only network boundary (SSRF guard, deadline, size caps, conditional GET)
- ``robots``     robots.txt rules for article pages
- ``discover``   feed discovery from a site's home page
- ``parse``      feed bytes -> ParsedFeed (RSS 0.9x/1.0/2.0, Atom, RDF, JSON Feed)
- ``textnorm``   Unicode normalisation and field caps
- ``sanitize``   the one HTML allow-list
- ``urls``       canonical URLs, tracking parameters, entry identity keys
- ``extract``    article page -> body, title, author, date, image, language
- ``keywords``   terms and entity phrases, trending scores
- ``sections``   section classifier
- ``similarity`` text vectors, story clustering, near-duplicate signatures
"""
