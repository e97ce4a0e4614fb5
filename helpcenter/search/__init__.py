"""Search: one Whoosh index as the engine of record, and a static export that ranks the same.

``engine`` is the only module that imports Whoosh. Everything else speaks in SearchDocs,
analysed terms and (id, score) hits, so another engine could replace Whoosh later.
"""
