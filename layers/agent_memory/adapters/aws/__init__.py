"""The production backend: DynamoDB, OpenSearch Serverless, Bedrock, Step Functions, S3, API Gateway usage plans."""
