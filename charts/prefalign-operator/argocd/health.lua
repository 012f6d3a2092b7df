-- Argo CD health check for prefalign.dev/PreferenceAlignmentJob (docs/operator.md, "GitOps with Argo CD").
-- It reads only what the operator writes: status.observedGeneration, status.phase, status.message,
-- status.progress.percent and the Stalled, Failed, Succeeded and Suspended conditions.
hs = {}

local function condition(conditionType)
  if obj.status.conditions ~= nil then
    for _, c in ipairs(obj.status.conditions) do
      if c.type == conditionType then
        return c
      end
    end
  end
  return nil
end

local function isTrue(conditionType)
  local c = condition(conditionType)
  return c ~= nil and c.status == "True"
end

local function messageOf(conditionType)
  local c = condition(conditionType)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return obj.status.message or ""
end

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe the job."
  return hs
end

local generation = obj.metadata.generation or 0
local observed = obj.status.observedGeneration or 0
if observed < generation then
  -- The status describes an older spec: nothing in it can be trusted for the current one yet.
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation) .. "."
  return hs
end

local phase = obj.status.phase or "Pending"
if isTrue("Stalled") then
  -- Stalled covers an invalid spec (phase Pending, or the phase of a Job that keeps running) and every failure.
  hs.status = "Degraded"
  hs.message = messageOf("Stalled")
  return hs
end
if phase == "Failed" or isTrue("Failed") then
  hs.status = "Degraded"
  hs.message = messageOf("Failed")
  return hs
end
if phase == "Succeeded" or isTrue("Succeeded") then
  hs.status = "Healthy"
  hs.message = messageOf("Succeeded")
  return hs
end
if phase == "Suspended" or isTrue("Suspended") then
  hs.status = "Suspended"
  hs.message = messageOf("Suspended")
  return hs
end

-- Pending, Queued, Initializing, Running.
hs.status = "Progressing"
local progress = obj.status.progress
if progress ~= nil and progress.percent ~= nil then
  hs.message = phase .. ", " .. string.format("%.1f", progress.percent) .. "% done: " .. (obj.status.message or "")
else
  hs.message = phase .. ": " .. (obj.status.message or "")
end
return hs
