"""What a long-running NetWise process does once its code is loaded, before it serves anyone."""

import gc

# Full collections: after one in this many middle-generation collections (Python's default is
# 10, held back until a quarter of the long-lived objects are new; see below).
FULL_COLLECTION_EVERY = 100


def settle_garbage_collector() -> None:
    """Leave the objects start-up made out of every garbage collection.

    Django, Wagtail and their imports leave about 260,000 objects that live as long as the
    process. Python's full collection walks every one of them (about 100 ms here) every few
    hundred requests: 0.6 ms per quiz submit on average (bench/_profile_quiz_submit.py), and
    a 100 ms pause in whichever request it lands in. Frozen, they are left out; what requests
    allocate is collected as before.

    Frozen objects no longer count as long-lived, so Python 3.11's rule "no full collection
    until a quarter of the long-lived objects are new" stops holding anything back, and full
    collections would come every ten middle ones, walking whatever a big page holds live at
    that moment (the 40-learner dashboard's p95 went from 28 to 37 ms). Every hundredth keeps
    them about as rare as before, and now cheap.
    """
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
