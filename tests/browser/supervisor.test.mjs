// Issue 11 §5 in a real browser: a supervisor runs the floor from the
// desktop. They give an agent a skill on the agent's floor page and the
// waiting call that needs it is offered to that agent at once, and so is the
// next one (calls posted through the API); taking the skill away and forcing
// the agent offline count at once too. The wallboard is read as a wall
// display at 1920×1080 with the demo council's 12 queues: every tile on one
// screen, text large enough, red/amber/green in words, humane durations —
// screenshot kept as an artifact (wallboard-1920.png). axe checks every page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { startServer, launchBrowser, checkA11y, screenshot, artifacts, staffClient } from './harness.mjs'

let server, browser, api, token, signIn

before(async () => {
  server = await startServer();
  ({ api, token, signIn } = staffClient(server))
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

async function interaction (id, agentToken) {
  const res = await api('GET', `/api/v1/interactions/${id}`, agentToken)
  assert.equal(res.status, 200, JSON.stringify(res.json))
  return res.json
}

test('a supervisor gives an agent a skill on the floor and the calls that need it are routed to them at once', async () => {
  // Chloe (agent3) works the contact centre's queues but has no Council Tax skill.
  const sam = await token('agent3@fairhaven.example')
  const me = await api('PUT', '/api/v1/agents/me/presence', sam, { presence: 'available' })
  assert.equal(me.status, 200, JSON.stringify(me.json))
  const samId = me.json.agent_id
  const first = await api('POST', '/api/v1/interactions', sam, { media: 'voice', queue: 'council-tax', caller: '01632 960401' })
  assert.equal(first.status, 201, JSON.stringify(first.json))
  assert.equal((await interaction(first.json.id, sam)).state, 'waiting')

  const context = await browser.newContext({ bypassCSP: true })
  const page = await signIn(context, 'supervisor@fairhaven.example')
  await page.getByRole('link', { name: 'Floor', exact: true }).click()
  await page.waitForURL(/\/staff\/floor$/)
  await checkA11y(page)
  // Chloe is signed in, available, for a humane time.
  const row = page.locator('#floor-signed-in tr', { hasText: 'Chloe Agent' })
  await row.waitFor()
  assert.match(await row.textContent(), /Available/)
  assert.match(await row.locator('td').nth(1).textContent(), /^\d+ (s|min)$/)
  await row.getByRole('link').click()
  await page.waitForURL(/\/staff\/floor\/agents\/\d+$/)
  await checkA11y(page)

  // Skills are picked from the council's skills, with a level; no typing.
  const skillRows = page.locator('#agent-skills .onestop-field-row')
  const before = await skillRows.count()
  assert.ok(before >= 3)
  const empty = page.getByLabel('Skill 3', { exact: true })
  assert.equal(await empty.inputValue(), '')
  const offered = await empty.locator('option').allTextContents()
  assert.ok(offered.includes('council-tax') && offered.includes('waste'), offered.join(','))
  await empty.selectOption('council-tax')
  await page.getByLabel('Level of skill 3', { exact: true }).selectOption('3')
  await page.getByRole('button', { name: 'Save skills and profile' }).click()
  await page.waitForURL(/\/staff\/floor\?flash=routing$/)
  await checkA11y(page)
  assert.match(await page.locator('#floor-signed-in tr', { hasText: 'Chloe Agent' }).textContent(), /council-tax 3/)

  // At once: the waiting call is offered to Chloe, not at Chloe's next presence change.
  let call = await interaction(first.json.id, sam)
  assert.equal(call.state, 'offered', JSON.stringify(call))
  assert.equal(call.agent_id, samId)
  // The caller hangs up; the next Council Tax call goes straight to Chloe.
  assert.equal((await api('POST', `/api/v1/interactions/${first.json.id}/abandon`, sam)).status, 200)
  const next = await api('POST', '/api/v1/interactions', sam, { media: 'voice', queue: 'council-tax', caller: '01632 960402' })
  assert.equal(next.status, 201, JSON.stringify(next.json))
  call = await interaction(next.json.id, sam)
  assert.equal(call.state, 'offered', JSON.stringify(call))
  assert.equal(call.agent_id, samId)
  // The floor shows what Chloe has now, without a reload (pushed).
  await page.locator('#floor-signed-in tr', { hasText: /Chloe Agent.*Call ringing, Council Tax calls/ }).waitFor({ timeout: 10000 })
  assert.equal((await api('POST', `/api/v1/interactions/${next.json.id}/abandon`, sam)).status, 200)

  // Someone else changes Chloe's skills meanwhile: the stale form is refused, in words.
  await page.goto(server.url + `/staff/floor/agents/${samId}`)
  const other = await browser.newContext({ bypassCSP: true })
  const otherPage = await signIn(other, 'admin@fairhaven.example')
  await otherPage.goto(server.url + `/staff/floor/agents/${samId}`)
  await otherPage.getByLabel('Level of skill 1', { exact: true }).selectOption('5')
  await otherPage.getByRole('button', { name: 'Save skills and profile' }).click()
  await otherPage.waitForURL(/flash=routing/)
  await other.close()
  const councilTaxRow = await page.locator('#agent-skills select[name^="skill_"]').evaluateAll(
    (selects) => selects.findIndex((s) => s.value === 'council-tax'))
  assert.ok(councilTaxRow >= 0)
  await page.getByLabel(`Skill ${councilTaxRow + 1}`, { exact: true }).selectOption('')
  await page.getByRole('button', { name: 'Save skills and profile' }).click()
  await page.locator('.govuk-error-summary', { hasText: 'Someone else changed' }).waitFor()
  await checkA11y(page)
  // Take the skill away (on the current version): the next call waits.
  await page.goto(server.url + `/staff/floor/agents/${samId}`)
  const row2 = await page.locator('#agent-skills select[name^="skill_"]').evaluateAll(
    (selects) => selects.findIndex((s) => s.value === 'council-tax'))
  await page.getByLabel(`Skill ${row2 + 1}`, { exact: true }).selectOption('')
  await page.getByRole('button', { name: 'Save skills and profile' }).click()
  await page.waitForURL(/flash=routing/)
  const third = await api('POST', '/api/v1/interactions', sam, { media: 'voice', queue: 'council-tax', caller: '01632 960403' })
  assert.equal((await interaction(third.json.id, sam)).state, 'waiting')
  await api('POST', `/api/v1/interactions/${third.json.id}/abandon`, sam)

  // The supervisor takes Chloe offline; it counts at once.
  await page.goto(server.url + `/staff/floor/agents/${samId}`)
  await page.getByLabel('Offline', { exact: true }).check()
  await page.getByRole('button', { name: 'Change state' }).click()
  await page.waitForURL(/flash=state$/)
  assert.equal((await api('GET', '/api/v1/agents/me', sam)).json.presence, 'offline')
  assert.match(await page.locator('#floor-signed-out').textContent(), /Chloe Agent/)

  // The changes are in the event log, naming the supervisor.
  const supervisorToken = await token('supervisor@fairhaven.example')
  const supervisorId = (await api('GET', '/api/v1/agents/me', supervisorToken)).json.agent_id
  const events = await api('GET', '/api/v1/events?entity=staff&limit=500', supervisorToken)
  assert.equal(events.status, 200, JSON.stringify(events.json))
  const mine = events.json.items.filter((e) => e.entity_id === samId && e.actor_id === supervisorId).map((e) => e.type)
  assert.ok(mine.includes('staff.routing_changed') && mine.includes('staff.state_set'), mine.join(','))

  // Agents cannot open the floor.
  const agentContext = await browser.newContext()
  const agentPage = await signIn(agentContext, 'agent@fairhaven.example')
  assert.equal((await agentPage.goto(server.url + '/staff/floor')).status(), 403)
  await agentContext.close()
  await context.close()
})

test('supervisors edit queues and routing profiles with pick lists, errors in the GOV.UK pattern and version checks', async () => {
  const context = await browser.newContext({ bypassCSP: true })
  const page = await signIn(context, 'supervisor@fairhaven.example')
  await page.goto(server.url + '/staff/routing/queues')
  await checkA11y(page)
  await page.getByRole('link', { name: 'Add a queue' }).click()
  await page.getByLabel('Code').fill('parking')
  await page.getByRole('button', { name: 'Create queue' }).click()
  // The name is missing: the error summary links to the field.
  const summary = page.locator('.govuk-error-summary')
  await summary.waitFor()
  assert.match(await summary.textContent(), /Enter the queue’s name|Enter the queue's name/)
  await checkA11y(page)
  await page.getByLabel('Name', { exact: true }).fill('Parking calls')
  await page.getByLabel('Call', { exact: true }).check()
  await page.getByLabel('Longest idle: the agent free for longest').check()
  await page.getByLabel('Skill 1', { exact: true }).selectOption('highways')
  await page.getByLabel('Lowest level for skill 1', { exact: true }).selectOption('2')
  await page.getByLabel('Step 1: after (seconds)').fill('60')
  await page.getByLabel('Step 1: skills').selectOption('0')
  await page.getByLabel('Wallboard group (optional)').fill('Contact centre')
  await page.getByRole('button', { name: 'Create queue' }).click()
  await page.waitForURL(/\/staff\/routing\/queues\?flash=saved$/)
  await page.getByRole('link', { name: 'Parking calls' }).click()
  assert.equal(await page.getByLabel('Skill 1', { exact: true }).inputValue(), 'highways')
  assert.equal(await page.getByLabel('Step 1: after (seconds)').inputValue(), '60')

  // Amber above green is refused.
  await page.getByLabel('Amber at a service level of at least (%)').fill('95')
  await page.getByRole('button', { name: 'Save queue' }).click()
  await page.locator('.govuk-error-summary', { hasText: 'amber service level' }).waitFor()
  await checkA11y(page)

  // A routing profile takes the new queue, picked from the list.
  await page.goto(server.url + '/staff/routing/profiles/contact-centre')
  await checkA11y(page)
  await page.getByLabel('Parking calls', { exact: true }).check()
  await page.getByLabel('Priority of Parking calls (1 first)').selectOption('2')
  await page.getByRole('button', { name: 'Save routing profile' }).click()
  await page.waitForURL(/\/staff\/routing\/profiles\?flash=saved$/)
  assert.match(await page.locator('#routing-profiles').textContent(), /Parking calls/)

  // And the queue is deleted again (it holds nothing).
  await page.goto(server.url + '/staff/routing/queues/parking')
  await page.getByRole('button', { name: 'Delete queue' }).click()
  await page.waitForURL(/\/staff\/routing\/queues\?flash=deleted$/)
  assert.equal(await page.getByRole('link', { name: 'Parking calls' }).count(), 0)
  await context.close()
})

test('the wallboard on a 1920×1080 wall display: every demo queue (13) on one screen, readable, RAG in words', async () => {
  // Some traffic: an agent free for the general queue, a call waiting for Council Tax.
  const agent = await token('agent@fairhaven.example')
  assert.equal((await api('PUT', '/api/v1/agents/me/presence', agent, { presence: 'available' })).status, 200)
  const supervisor = await token('supervisor@fairhaven.example')
  assert.equal((await api('PUT', '/api/v1/agents/me/presence', supervisor, { presence: 'on_break', reason: 'training' })).status, 200)
  const queues = (await api('GET', '/api/v1/queues', supervisor)).json.items
  assert.ok(queues.length >= 12, `the demo council has ${queues.length} queues`)

  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1920, height: 1080 } })
  const page = await signIn(context, 'supervisor@fairhaven.example')
  await page.goto(server.url + '/staff/wallboard')
  await page.locator('#wallboard-status', { hasText: 'Live' }).waitFor({ timeout: 10000 })
  await checkA11y(page)

  const tiles = page.locator('#wallboard > li')
  const count = await tiles.count()
  assert.ok(count >= 12, `${count} tiles`)
  // Call queues first.
  const media = await tiles.locator('.onestop-tile__media').allTextContents()
  const firstOther = media.findIndex((m) => m !== 'Call')
  assert.ok(firstOther > 0 && media.slice(firstOther).every((m) => m !== 'Call'), media.join(','))
  // Every tile inside the 1920×1080 viewport, no scrolling.
  for (let i = 0; i < count; i++) {
    const box = await tiles.nth(i).boundingBox()
    assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1920 && box.y + box.height <= 1080,
      `tile ${i} at ${JSON.stringify(box)}`)
  }
  // Text large enough to read across a room: 19 px or more everywhere on the tiles.
  const smallest = await page.evaluate(() => {
    let min = Infinity
    for (const el of document.querySelectorAll('#wallboard *')) {
      if (!el.childNodes.length || ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue
      min = Math.min(min, parseFloat(getComputedStyle(el).fontSize))
    }
    return min
  })
  assert.ok(smallest >= 19, `smallest text ${smallest}px`)
  // Red / amber / green is a word, not only a colour.
  for (const text of await tiles.locator('.onestop-rag__text').allTextContents()) {
    assert.match(text, /^(Green|Amber|Red): /)
  }
  // Case tasks have no abandon rate.
  const caseTile = page.locator('#wallboard > li[data-queue="cases-waste-collections"]')
  assert.equal((await caseTile.locator('[data-field="abandon_rate"]').textContent()).trim(), '–')
  // Agents: "available" counts only those who can take the queue's work.
  // The general queue asks for no skill: the agent counts; registrars asks
  // for a skill the agent lacks: nobody free.
  await page.waitForFunction(() => /^1 of/.test(document.querySelector('[data-queue="general"] [data-field="free"]')?.textContent || ''), null, { timeout: 10000 })
  assert.match(await page.locator('[data-queue="registrars"] [data-field="free"]').textContent(), /^0 of \d+ free$/)
  // The agent list: states with time in state, in words.
  const agents = page.locator('#wallboard-agents li')
  assert.ok(await agents.count() >= 2)
  assert.match(await page.locator('#wallboard-agents li', { hasText: 'Sam Supervisor' }).textContent(), /On a break \(training\)\s*\d+ (s|min)/)

  // A call arrives and waits (nobody free has the registrars skill):
  // pushed live, its wait in humane words — never "in N s".
  const call = await api('POST', '/api/v1/interactions', agent, { media: 'voice', queue: 'registrars', caller: '01632 960777' })
  assert.equal(call.status, 201, JSON.stringify(call.json))
  const waiting = page.locator('[data-queue="registrars"] [data-field="waiting"]')
  await page.waitForFunction(() => document.querySelector('[data-queue="registrars"] [data-field="waiting"]')?.textContent.trim() === '1', null, { timeout: 10000 })
  assert.equal((await waiting.textContent()).trim(), '1')
  await page.waitForFunction(() => /^\d+ s$/.test(document.querySelector('[data-queue="registrars"] [data-field="longest_wait"]')?.textContent.trim() || ''), null, { timeout: 10000 })
  assert.doesNotMatch(await page.locator('#wallboard').textContent(), /\bin \d+ s\b/)
  await checkA11y(page)
  await page.screenshot({ path: path.join(artifacts, 'wallboard-1920.png') })
  await screenshot(page, 'wallboard-1920-full')
  await api('POST', `/api/v1/interactions/${call.json.id}/abandon`, agent)
  await context.close()
})
