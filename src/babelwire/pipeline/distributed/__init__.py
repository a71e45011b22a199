"""The distributed runner: the pipeline's stages as Celery tasks on Redis queues, one queue per stage.

app.py builds the Celery app (configuration, queues, routes), broker.py talks to Redis directly
(reachability, queue depths), context.py holds what a worker process opens once (settings, store,
translator). The tasks and the scheduler build on these.
"""
