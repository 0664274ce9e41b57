"""Compatible APIs: other memory services' paths, fields and answers, mapped onto the same services as /v1 (each rule
stays in its service; these modules only rename and reshape). One router per operation, as in http/routers."""
