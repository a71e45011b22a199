"""Stories: one entry per event across sources and languages.

The stage functions here are pure: terms of an article, its weighted vector, the story it joins
and the copy it duplicates. The store and the runners keep the indexes; the evaluation commands
(`babelwire stories cluster|compare`) and `benchmarks/stories.py` run the same code on any data.
"""
