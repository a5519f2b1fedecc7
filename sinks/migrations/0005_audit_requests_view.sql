-- One line per LLM call: the request and its response joined by request_id at query time, so
-- the stream needs no join state and either event may arrive first.
CREATE VIEW IF NOT EXISTS audit_requests AS
SELECT
    tenant_id,
    request_id,
    any(user_id) AS user_id,
    any(service) AS service,
    any(provider) AS provider,
    any(model) AS model,
    anyIf(model_version, model_version != '') AS model_version,
    min(occurred_at) AS occurred_at,
    anyIf(text_hash, event_type = 'llm.request') AS input_hash,
    anyIf(text_hash, event_type = 'llm.response') AS output_hash,
    arraySort(groupUniqArrayArray(finding_types)) AS finding_types,
    sum(finding_count) AS finding_count,
    multiIf(countIf(action = 'withhold') > 0, 'withhold',
            countIf(action = 'redact') > 0, 'redact', 'allow') AS action,
    countIf(event_type = 'llm.request') > 0 AS has_request,
    countIf(event_type = 'llm.response') > 0 AS has_response
FROM audit_log FINAL
GROUP BY tenant_id, request_id;
