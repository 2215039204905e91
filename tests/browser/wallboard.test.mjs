// The wallboard and the agent panel of issue 7 in a real browser: a supervisor sees each queue's
// figures with their definitions, an interaction arriving through the API
// shows up without a reload (WebSocket push), and without JavaScript the
// page still shows the figures of the moment. axe checks every page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, axe, screenshot, PASSWORD } from './harness.mjs'

let server, browser

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

async function api (method, path, token, body) {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined
  })
  return { status: res.status, json: await res.json().catch(() => null) }
}

async function token (email) {
  const res = await api('POST', '/api/v1/session', null, { email, password: PASSWORD })
  assert.equal(res.status, 201, JSON.stringify(res.json))
  return res.json.token
}

async function signIn (context, email) {
  const page = await context.newPage()
  page.on('pageerror', (e) => { throw e })
  await page.goto(server.url + '/staff/login')
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/\/staff$/)
  return page
}

async function checkA11y (page) {
  const violations = await axe(page)
  assert.deepEqual(violations, [], `axe violations on ${page.url()}: ${JSON.stringify(violations, null, 1)}`)
}

test('wallboard: figures with definitions, live updates, works without JavaScript', async () => {
  const supervisor = await token('supervisor@fairhaven.example')
  const put = await api('PUT', '/api/v1/queues/council-tax', supervisor, { name: 'Council Tax', service_level_seconds: 20 })
  assert.ok(put.status === 201 || put.status === 200, JSON.stringify(put.json))

  const context = await browser.newContext({ bypassCSP: true })
  const page = await signIn(context, 'supervisor@fairhaven.example')
  await page.getByRole('link', { name: 'Wallboard' }).click()
  await page.waitForURL(/\/staff\/wallboard$/)
  await checkA11y(page)
  await page.getByRole('heading', { name: 'Wallboard' }).waitFor()
  for (const term of ['Service level', 'ASA (average speed of answer)', 'AHT (average handling time)', 'Abandon rate', 'Occupancy']) {
    assert.ok(await page.locator('#wallboard-definitions dt', { hasText: term }).count() > 0, term)
  }
  const waiting = page.locator('tr[data-queue="council-tax"] td').first()
  assert.equal((await waiting.textContent()).trim(), '0')
  await page.locator('#wallboard-status', { hasText: 'Live' }).waitFor({ timeout: 10000 })

  // A call arrives; nobody is available, so it waits — and the board shows it.
  const agent = await token('agent@fairhaven.example')
  const call = await api('POST', '/api/v1/interactions', agent, { media: 'voice', queue: 'council-tax', caller: '01632 960123' })
  assert.equal(call.status, 201, JSON.stringify(call.json))
  await page.waitForFunction(() => document.querySelector('tr[data-queue="council-tax"] td')?.textContent.trim() === '1', null, { timeout: 10000 })
  await checkA11y(page)
  await screenshot(page, 'wallboard-live')

  // Without JavaScript: the server-rendered figures.
  const noScript = await browser.newContext({ javaScriptEnabled: false })
  const cookies = await context.cookies()
  await noScript.addCookies(cookies)
  const staticPage = await noScript.newPage()
  await staticPage.goto(server.url + '/staff/wallboard')
  assert.equal((await staticPage.locator('tr[data-queue="council-tax"] td').first().textContent()).trim(), '1')
  await noScript.close()

  // Agents may not open it.
  const agentContext = await browser.newContext()
  const agentPage = await signIn(agentContext, 'agent@fairhaven.example')
  const response = await agentPage.goto(server.url + '/staff/wallboard')
  assert.equal(response.status(), 403)
  assert.equal(await agentPage.getByRole('link', { name: 'Wallboard' }).count(), 0)
  await agentContext.close()

  await api('POST', `/api/v1/interactions/${call.json.id}/abandon`, agent)
  await context.close()
})

test('agent panel: presence, an offer pops up with the resident, accept and complete', async () => {
  // The demo council's "waste" queue: the agent's contact-centre profile takes it.
  const supervisor = await token('supervisor@fairhaven.example')
  const agent = await token('agent@fairhaven.example')
  const citizen = await api('POST', '/api/v1/citizens', agent, { given_name: 'Pat', family_name: 'Popup', phones: ['01632 960555'] })
  assert.equal(citizen.status, 201, JSON.stringify(citizen.json))

  const context = await browser.newContext({ bypassCSP: true })
  const page = await signIn(context, 'agent@fairhaven.example')
  const panel = page.locator('#agent-desk')
  await panel.waitFor({ state: 'visible', timeout: 10000 })
  await page.getByRole('button', { name: 'Go available' }).click()
  await page.locator('#agent-desk-state', { hasText: 'You are Available' }).waitFor({ timeout: 10000 })
  await checkA11y(page)

  const call = await api('POST', '/api/v1/interactions', supervisor, { media: 'voice', queue: 'waste', caller: '01632 960555' })
  assert.equal(call.status, 201, JSON.stringify(call.json))
  const open = page.getByRole('link', { name: 'Open Pat Popup’s record' })
  await open.waitFor({ timeout: 10000 })
  assert.equal(await open.getAttribute('href'), `/staff/citizens/${citizen.json.id}`)
  await checkA11y(page)
  await screenshot(page, 'agent-offer')
  await page.getByRole('button', { name: 'Accept' }).click()
  await page.getByRole('button', { name: 'Complete' }).click()
  await page.locator('#agent-desk-items li').first().waitFor({ state: 'detached', timeout: 10000 })
  await page.getByRole('button', { name: 'Go offline' }).click()
  await page.locator('#agent-desk-state', { hasText: 'You are Offline' }).waitFor({ timeout: 10000 })
  await context.close()
})
