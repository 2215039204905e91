// The wallboard of issue 7 in a real browser (the agent's side: desk.test.mjs): a supervisor sees each queue's
// figures with their definitions, an interaction arriving through the API
// shows up without a reload (WebSocket push), and without JavaScript the
// page still shows the figures of the moment. axe checks every page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, axe, screenshot, staffClient } from './harness.mjs'

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
  for (const term of ['Red, amber, green', 'Service level', 'Agents', 'ASA (average speed of answer)', 'Abandon rate']) {
    assert.ok(await page.locator('#wallboard-definitions dt', { hasText: term }).count() > 0, term)
  }
  const waiting = page.locator('[data-queue="council-tax"] [data-field="waiting"]')
  assert.equal((await waiting.textContent()).trim(), '0')
  await page.locator('#wallboard-status', { hasText: 'Live' }).waitFor({ timeout: 10000 })

  // A call arrives; nobody is available, so it waits — and the board shows it.
  const agent = await token('agent@fairhaven.example')
  const call = await api('POST', '/api/v1/interactions', agent, { media: 'voice', queue: 'council-tax', caller: '01632 960123' })
  assert.equal(call.status, 201, JSON.stringify(call.json))
  await page.waitForFunction(() => document.querySelector('[data-queue="council-tax"] [data-field="waiting"]')?.textContent.trim() === '1', null, { timeout: 10000 })
  await checkA11y(page)
  await screenshot(page, 'wallboard-live')

  // Without JavaScript: the server-rendered figures.
  const noScript = await browser.newContext({ javaScriptEnabled: false })
  const cookies = await context.cookies()
  await noScript.addCookies(cookies)
  const staticPage = await noScript.newPage()
  await staticPage.goto(server.url + '/staff/wallboard')
  assert.equal((await staticPage.locator('[data-queue="council-tax"] [data-field="waiting"]').textContent()).trim(), '1')
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
