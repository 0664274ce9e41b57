"""Everything that receives an event, in one place: API requests (one router per Lambda function), job steps, the
key authorizer, DynamoDB stream records, S3/SQS conversation logs, the index's deployment resource, and the local
counterparts (the background job worker, `agent-memory ingest`).

Entry modules parse the event, call services, and shape the answer; `functions/*` re-export their handlers.
Adapters (`adapters/`) are outbound only. Importing this package imports nothing else: each Lambda function pays only
for the entry module it names.
"""
