// Issue 11 §3, the single view of the resident, in a real browser against the
// real binary: an agent opens a resident, reads the summary (open case,
// flags), sets "interpreter needed: Polish", reads a suggested article in the
// side panel without leaving the resident, records "answered from this",
// raises a case through the service search with the address prefilled, and
// reads the case history in words. axe on every page; screenshots kept.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, newPage as openPage, checkA11y, screenshot, visited, staffClient } from './harness.mjs'

let server, browser, api, token, signIn

before(async () => {
  server = await startServer();
  ({ api, token, signInPage: signIn } = staffClient(server))
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
  const bad = visited.filter((v) => v.violations.length > 0)
  console.log(`axe: ${visited.length} pages checked, ${bad.length} with violations`)
})

function nextWeek () {
  const d = new Date(Date.now() + 7 * 24 * 3600 * 1000)
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) }
}

const machineWords = /assignee_id|due_at|service_code|in_progress|face_to_face|\d{4}-\d{2}-\d{2}T\d{2}|→/

test('an agent works a call from the single view', async () => {
  // The council's knowledge: a public article for missed bins and the
  // agents' call script for the service, written by an editor.
  const supervisor = await token('supervisor@fairhaven.example')
  const article = await api('POST', '/api/v1/articles', supervisor, {
    title: 'Missed bin collections',
    summary: 'What to do when a bin was not emptied on collection day.',
    body: '# If your bin was missed\n\nCrews return within **two working days**.\n\n- Leave the bin out\n- Report it once',
    audience: 'public',
    status: 'published',
    service_codes: ['missed-bin'],
    keywords: ['missed bin', 'bin', 'collection']
  })
  assert.equal(article.status, 201, JSON.stringify(article.json))
  const script = await api('POST', '/api/v1/articles', supervisor, {
    title: 'Missed bin call script',
    body: 'Ask **which bin** and the **collection day**, then raise the case.',
    audience: 'staff',
    status: 'published',
    keywords: ['script:missed-bin']
  })
  assert.equal(script.status, 201, JSON.stringify(script.json))

  // The resident has an open case from last week.
  const agentToken = await token('agent@fairhaven.example')
  const found = await api('GET', '/api/v1/citizens?phone=07700900102', agentToken)
  const resident = found.json.items[0]
  assert.equal(resident.family_name, 'Nowak')
  const old = await api('POST', '/api/v1/cases', agentToken, {
    service_code: 'missed-bin',
    channel: 'phone',
    citizen_id: resident.id,
    values: { bin_type: 'recycling', collection_date: new Date(Date.now() - 7 * 864e5).toISOString().slice(0, 10) }
  })
  assert.equal(old.status, 201, JSON.stringify(old.json))
  const oldReference = old.json.reference

  const page = await openPage(browser)
  await signIn(page, 'agent@fairhaven.example')
  await page.getByLabel('Phone').fill('07700 900102')
  await page.getByRole('button', { name: 'Find resident' }).click()
  await page.getByRole('link', { name: /Tomasz Nowak/ }).first().click()
  await page.waitForURL(/\/staff\/citizens\/\d+$/)
  const residentUrl = page.url()
  await checkA11y(page)

  // The summary: the open case with its status in words, preferred channel, no flags yet.
  const openCases = await page.textContent('#open-cases')
  assert.match(openCases, new RegExp(oldReference))
  assert.match(openCases, /Report a missed bin|Missed bin/i)
  assert.match(openCases, /Received/)
  assert.match(await page.textContent('#preferred-channel'), /Text message/)
  assert.match(await page.textContent('#recent-contacts'), /Phone/)
  assert.match(await page.textContent('#recent-contacts'), /Aisha Agent/)
  assert.match(await page.textContent('#flags'), /No flags/)

  // Flags: an interpreter without a language is refused, then Polish is saved.
  await page.getByText('Change flags').click()
  await page.getByLabel('Needs an interpreter').check()
  await page.getByRole('button', { name: 'Save flags' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('.govuk-error-summary'), /Enter the language the resident needs an interpreter for/)
  await page.getByLabel('Interpreter language').fill('Polish')
  await page.getByRole('button', { name: 'Save flags' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('.govuk-notification-banner'), /Flags saved/)
  assert.match(await page.textContent('#flags'), /Interpreter needed: Polish/)
  assert.match(await page.textContent('#timeline'), /Needs an interpreter: Polish/)
  await screenshot(page, 'single-view-summary')

  // The knowledge base beside the resident: the service's script, suggestions,
  // one article read in the panel (the URL stays on the resident).
  await page.goto(residentUrl + '?service=missed-bin')
  await checkA11y(page)
  assert.match(await page.textContent('#script'), /Missed bin call script/)
  assert.match(await page.innerHTML('#script'), /<strong>which bin<\/strong>/)
  await page.getByLabel('Search the knowledge base').fill('missed bin')
  await page.getByRole('button', { name: 'Find articles' }).click()
  await checkA11y(page)
  await page.locator('#suggestions').getByRole('link', { name: 'Missed bin collections' }).click()
  assert.match(page.url(), /\/staff\/citizens\/\d+\?.*article=\d+/)
  await checkA11y(page)
  assert.match(await page.textContent('#reading'), /Crews return within two working days/)
  assert.match(await page.innerHTML('#reading'), /<strong>two working days<\/strong>/)
  assert.equal(await page.locator('h1').textContent(), 'Mr Tomasz Nowak')
  await screenshot(page, 'single-view-article-panel')
  await page.getByRole('button', { name: 'Answered from this' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('.govuk-notification-banner'), /Recorded: answered from the article/)
  // On this call's contact (the agent's latest with the resident).
  assert.match(await page.textContent('#recent-contacts'), /Answered from ‘Missed bin collections’/)
  assert.match(await page.textContent('#timeline'), /Answered from the article ‘Missed bin collections’/)
  const articleAfter = await api('GET', `/api/v1/articles/${article.json.id}`, supervisor)
  assert.equal(articleAfter.json.feedback.resolved_contacts, 1, JSON.stringify(articleAfter.json))

  // Raising a case: search the catalogue by what the resident calls it.
  await page.goto(residentUrl)
  await page.getByLabel('Find a service').fill('sofa')
  await page.getByRole('button', { name: 'Search services' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('#service-count'), /match/)
  await screenshot(page, 'single-view-service-search')
  await page.locator('#services').getByRole('link', { name: /bulky waste/i }).first().click()
  await checkA11y(page)
  assert.equal(await page.getByLabel('Postcode').inputValue(), 'FH2 7DE')
  assert.match(await page.getByLabel('Address or description').inputValue(), /Harbour View, 8 Quay Street/)
  assert.equal(await page.getByLabel('UPRN').inputValue(), '100090000103')
  assert.match(await page.textContent('#location-prefilled'), /Filled in from the resident’s record/)
  // One date pattern, one hint.
  const hints = await page.locator('.govuk-date-input').evaluateAll((inputs) =>
    inputs.map((i) => i.closest('fieldset').querySelector('.govuk-hint').textContent))
  assert.ok(hints.length >= 1)
  for (const hint of hints) assert.match(hint, /^For example, 27 3 2026/)
  await page.locator('.govuk-checkboxes__input').first().check()
  await page.locator('#f-item_count').fill('2')
  const d = nextWeek()
  await page.getByLabel('Day').fill(d.day)
  await page.getByLabel('Month').fill(d.month)
  await page.getByLabel('Year').fill(d.year)
  await screenshot(page, 'single-view-raise')
  await page.getByRole('button', { name: 'Raise case' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('h1'), /Case [0-9A-Z]{4}-[0-9A-Z]{4}/)

  // The case history in words.
  await page.getByLabel('New status').selectOption({ label: 'In progress' })
  await page.getByRole('button', { name: 'Change status' }).click()
  await checkA11y(page)
  await page.getByRole('button', { name: 'Assign to me' }).click()
  await checkA11y(page)
  const history = await page.textContent('#history')
  assert.match(history, /Case raised by phone by Aisha Agent/)
  assert.match(history, /Due \d{1,2} [A-Z][a-z]+ \d{4} at \d{1,2}(:\d{2})?(am|pm)/)
  assert.match(history, /Status changed from Received to In progress/)
  assert.match(history, /Assigned to Aisha Agent/)
  assert.doesNotMatch(history, machineWords)
  await screenshot(page, 'single-view-case-history')

  // Back on the resident: the timeline in words too.
  await page.getByRole('link', { name: 'Mr Tomasz Nowak' }).click()
  await checkA11y(page)
  const timeline = await page.textContent('#timeline')
  assert.match(timeline, /Case raised by phone by Aisha Agent/)
  assert.match(timeline, /Status changed from Received to In progress/)
  assert.doesNotMatch(timeline, machineWords)
  await screenshot(page, 'single-view-timeline')

  // An agent opening an article reads it; no edit form.
  await page.goto(`${server.url}/staff/articles/${article.json.id}`)
  await checkA11y(page)
  assert.match(await page.innerHTML('#article-body'), /<strong>two working days<\/strong>/)
  assert.equal(await page.getByRole('button', { name: 'Save article' }).count(), 0)
  await screenshot(page, 'single-view-agent-reads-article')
  await page.context().close()

  // An editor still gets the form.
  const editor = await openPage(browser)
  await signIn(editor, 'supervisor@fairhaven.example')
  await editor.goto(`${server.url}/staff/articles/${article.json.id}`)
  await checkA11y(editor)
  assert.equal(await editor.getByRole('button', { name: 'Save article' }).count(), 1)
  await editor.context().close()
})

test('a call offered from the waste queue shows the queue\'s script on the caller\'s single view', async () => {
  const supervisor = await token('supervisor@fairhaven.example')
  const script = await api('POST', '/api/v1/articles', supervisor, {
    title: 'Waste line greeting',
    body: 'Say: **Waste and recycling, how can I help?**',
    audience: 'staff',
    status: 'published',
    keywords: ['script:waste']
  })
  assert.equal(script.status, 201, JSON.stringify(script.json))
  const agentToken = await token('agent@fairhaven.example')
  const resident = (await api('GET', '/api/v1/citizens?phone=07700900103', agentToken)).json.items[0]
  assert.equal(resident.family_name, 'Sharma')

  const page = await openPage(browser)
  await signIn(page, 'agent@fairhaven.example')
  // Without a call, no script.
  await page.goto(`${server.url}/staff/citizens/${resident.id}`)
  assert.equal(await page.locator('#script').count(), 0)

  assert.equal((await api('PUT', '/api/v1/agents/me/presence', agentToken, { presence: 'available' })).status, 200)
  const call = await api('POST', '/api/v1/interactions', agentToken, { media: 'voice', queue: 'waste', caller: '07700900103' })
  assert.equal(call.status, 201, JSON.stringify(call.json))
  let offered = false
  for (let i = 0; i < 40 && !offered; i++) {
    const desk = await api('GET', '/api/v1/agents/me', agentToken)
    offered = (desk.json?.items || []).some((item) => item.id === call.json.id && item.citizen?.id === resident.id)
    if (!offered) await new Promise((resolve) => setTimeout(resolve, 250))
  }
  assert.ok(offered, 'the call is offered to the agent with the caller\'s record')
  await page.goto(`${server.url}/staff/citizens/${resident.id}`)
  await checkA11y(page)
  assert.match(await page.textContent('#script'), /Waste line greeting/)
  assert.match(await page.innerHTML('#script'), /<strong>Waste and recycling, how can I help\?<\/strong>/)
  await screenshot(page, 'single-view-call-script')
  await page.context().close()
})

test('axe found no WCAG 2.2 AA violations on any page of the single view', () => {
  assert.ok(visited.length >= 12, `only ${visited.length} pages checked`)
  assert.deepEqual(visited.filter((v) => v.violations.length > 0), [])
})
