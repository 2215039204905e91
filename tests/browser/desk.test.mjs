// The interaction bar (issue 11 §2) in a real browser on the demo council: an
// agent's call from offer to wrap-up with the bar on the contact screen, the
// resident's record, the knowledge base and the raise page — the offer
// arrives without a reload, the call keeps its clock across page loads, a
// case raised during the call and the wrap-up land on ONE contact carrying
// interaction_id, duration_seconds and disposition. Also: transfer to a
// colleague picked from a list, a refused wrap-up, and the bar as a plain
// strip without JavaScript. axe checks every page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, checkA11y, screenshot, newPage, staffClient } from './harness.mjs'

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

const bar = (page) => page.locator('#agent-desk')

// axe needs JavaScript: check a no-JS page's HTML in a page that has it.
async function checkA11yOfHtml (page) {
  const html = (await page.content()).replace('<head>', `<head><base href="${server.url}/">`)
  const probe = await newPage(browser)
  await probe.setContent(html, { waitUntil: 'load' })
  await checkA11y(probe)
  await probe.context().close()
}

test('an agent\'s call from offer to wrap-up: the bar on every page, one contact', async () => {
  const supervisor = await token('supervisor@fairhaven.example')
  const agent = await token('agent@fairhaven.example')
  const citizen = await api('POST', '/api/v1/citizens', agent, {
    given_name: 'Pat', family_name: 'Popup', phones: ['01632 960555'],
    addresses: [{ line1: '3 Harbour Row', town: 'Fairhaven', postcode: 'FH1 2AB' }]
  })
  assert.equal(citizen.status, 201, JSON.stringify(citizen.json))

  const context = await browser.newContext({ bypassCSP: true })
  const page = await signIn(context, 'agent@fairhaven.example')
  await bar(page).waitFor({ state: 'visible', timeout: 10000 })
  await bar(page).getByRole('button', { name: 'Go available' }).click()
  await page.locator('#agent-desk-state', { hasText: 'You are Available' }).waitFor({ timeout: 10000 })
  await checkA11y(page)

  // The demo council's "waste" queue: the agent's contact-centre profile takes it at once.
  const call = await api('POST', '/api/v1/interactions', supervisor, { media: 'voice', queue: 'waste', caller: '01632 960555' })
  assert.equal(call.status, 201, JSON.stringify(call.json))
  const offer = bar(page).locator('.onestop-desk__item--offered')
  await offer.waitFor({ timeout: 10000 })  // pushed: no reload
  assert.match(await offer.innerText(), /Incoming: Call · Bins and recycling calls · from 01632 960555/)
  assert.equal(await offer.getByRole('link', { name: 'Pat Popup' }).getAttribute('href'), `/staff/citizens/${citizen.json.id}`)
  assert.match(await page.title(), /^Incoming: Call – /)
  await checkA11y(page)
  await screenshot(page, 'desk-offer')
  await offer.getByRole('button', { name: 'Accept' }).click()
  const live = bar(page).locator('.onestop-desk__item', { hasText: 'Call in progress' })
  await live.waitFor({ timeout: 10000 })

  // The bar stays with the call on the resident's record …
  await live.getByRole('link', { name: 'Pat Popup' }).click()
  await page.waitForURL(new RegExp(`/staff/citizens/${citizen.json.id}$`))
  await bar(page).locator('.onestop-desk__item', { hasText: 'Call in progress' }).waitFor()
  const clock = bar(page).locator('.onestop-desk__item .onestop-desk__clock')
  const first = await clock.innerText()
  // The call's clock ticks (desk.mjs), without a reload.
  await page.waitForFunction(([selector, before]) => document.querySelector(selector)?.textContent !== before,
    ['#agent-desk .onestop-desk__item .onestop-desk__clock', first], { timeout: 5000 })
  await checkA11y(page)
  await screenshot(page, 'desk-bar-resident')
  // … on the knowledge base …
  await page.getByRole('link', { name: 'Knowledge base' }).click()
  await page.waitForURL(/\/staff\/articles/)
  await bar(page).locator('.onestop-desk__item', { hasText: 'Call in progress' }).waitFor()
  await checkA11y(page)
  // … and while raising a case for the caller.
  await page.goto(`${server.url}/staff/citizens/${citizen.json.id}/raise?service=garden-waste-subscription`)
  await bar(page).locator('.onestop-desk__item', { hasText: 'Call in progress' }).waitFor()
  await checkA11y(page)
  await page.locator('[name="v.number_of_bins"]').fill('2')
  await page.getByRole('button', { name: 'Raise case' }).click()
  await page.waitForURL(/\/staff\/cases\/[0-9A-Z]{4}-[0-9A-Z]{4}/)
  const reference = page.url().match(/cases\/([0-9A-Z]{4}-[0-9A-Z]{4})/)[1]
  await bar(page).locator('.govuk-tag', { hasText: 'Case raised' }).waitFor()
  await checkA11y(page)

  // Wrap-up: a disposition and the service are asked for; without one it is refused in place.
  await bar(page).getByText('Complete', { exact: true }).click()
  await bar(page).getByLabel('What was it about?').selectOption('garden-waste-subscription')
  await checkA11y(page)
  await screenshot(page, 'desk-wrap-up')
  await bar(page).getByRole('button', { name: 'Complete and wrap up' }).click()
  await bar(page).getByText('Select how the contact ended').waitFor()
  assert.equal(await bar(page).locator('.onestop-desk__item', { hasText: 'Call in progress' }).count(), 1, 'still on the call')
  assert.equal(await bar(page).getByLabel('What was it about?').inputValue(), 'garden-waste-subscription', 'the answer is kept')
  await bar(page).getByLabel('How did it end?').selectOption('case_raised')
  await bar(page).getByLabel('Note (optional)').fill('Second green bin')
  await bar(page).getByRole('button', { name: 'Complete and wrap up' }).click()
  await page.locator('#agent-desk-state', { hasText: 'You are Wrap-up' }).waitFor({ timeout: 10000 })
  assert.equal(await bar(page).locator('.onestop-desk__item').count(), 0)
  assert.match(page.url(), new RegExp(`/staff/cases/${reference}`), 'the page underneath stayed')

  // One contact for the call: the case, the disposition and the duration on it.
  const contacts = await api('GET', `/api/v1/contacts?citizen=${citizen.json.id}`, agent)
  assert.equal(contacts.status, 200)
  assert.equal(contacts.json.items.length, 1, JSON.stringify(contacts.json))
  const contact = contacts.json.items[0]
  assert.equal(contact.interaction_id, call.json.id)
  assert.equal(contact.disposition, 'case_raised')
  assert.equal(contact.outcome, 'case_raised')
  assert.equal(contact.service_code, 'garden-waste-subscription')
  assert.equal(contact.reason, 'Second green bin')
  assert.ok(contact.duration_seconds >= 3, `duration ${contact.duration_seconds}`)
  assert.ok(contact.case_id > 0)
  const one = await api('GET', `/api/v1/contacts/${contact.id}`, agent)
  assert.deepEqual(one.json, contact)

  await bar(page).getByRole('button', { name: 'End wrap-up' }).click()
  await page.locator('#agent-desk-state', { hasText: 'You are Available' }).waitFor({ timeout: 10000 })
  await bar(page).getByRole('button', { name: 'Go offline' }).click()
  await page.locator('#agent-desk-state', { hasText: 'You are Offline' }).waitFor({ timeout: 10000 })
  await context.close()
})

test('transfer to a colleague picked from a list; without JavaScript the bar is a status strip that still works', async () => {
  const supervisor = await token('supervisor@fairhaven.example')
  const agentContext = await browser.newContext({ bypassCSP: true })
  const agentPage = await signIn(agentContext, 'agent@fairhaven.example')
  await bar(agentPage).getByRole('button', { name: 'Go available' }).click()
  await agentPage.locator('#agent-desk-state', { hasText: 'You are Available' }).waitFor()
  const call = await api('POST', '/api/v1/interactions', supervisor, { media: 'voice', queue: 'waste', caller: '01632 960777' })
  assert.equal(call.status, 201)
  const offer = bar(agentPage).locator('.onestop-desk__item--offered')
  await offer.waitFor({ timeout: 15000 })
  await offer.getByRole('button', { name: 'Accept' }).click()
  await bar(agentPage).locator('.onestop-desk__item', { hasText: 'Call in progress' }).waitFor()

  // The supervisor signs in to take calls, on a desktop without JavaScript:
  // the bar is there as plain HTML and its buttons are plain form posts.
  const plainContext = await browser.newContext({ bypassCSP: true, javaScriptEnabled: false })
  const plain = await signIn(plainContext, 'supervisor@fairhaven.example')
  await bar(plain).getByRole('button', { name: 'Go available' }).click()
  await plain.locator('#agent-desk-state', { hasText: 'You are Available' }).waitFor()

  // The agent's list of colleagues follows who is signed in, without a reload.
  await bar(agentPage).getByText('Transfer', { exact: true }).click()
  const target = bar(agentPage).getByLabel('Transfer to')
  await target.locator('option', { hasText: 'Sam Supervisor (Available)' }).waitFor({ state: 'attached', timeout: 10000 })
  const options = await target.locator('option').allInnerTexts()
  assert.ok(options.includes('General enquiries'), `queues listed by name: ${options}`)
  assert.ok(!options.some((o) => o.startsWith('Aisha Agent')), 'not oneself')
  await checkA11y(agentPage)
  const value = await target.locator('option', { hasText: 'Sam Supervisor' }).getAttribute('value')
  await target.selectOption(value)
  await bar(agentPage).getByRole('button', { name: 'Transfer now' }).click()
  await bar(agentPage).locator('.onestop-desk__item').first().waitFor({ state: 'detached', timeout: 10000 })

  // Without JavaScript a reload shows the offer; the forms accept and complete it.
  await plain.reload()
  const plainOffer = bar(plain).locator('.onestop-desk__item--offered')
  await plainOffer.waitFor()
  await checkA11yOfHtml(plain)
  await screenshot(plain, 'desk-no-js-offer')
  await plainOffer.getByRole('button', { name: 'Accept' }).click()
  await bar(plain).locator('.onestop-desk__item', { hasText: 'Call in progress' }).waitFor()
  // A refused wrap-up without JavaScript: the desk page with the error, the form open.
  await bar(plain).getByText('Complete', { exact: true }).click()
  await bar(plain).getByRole('button', { name: 'Complete and wrap up' }).click()
  await plain.waitForURL(/\/staff\/desk\/items\/\d+\/complete$/)
  await plain.getByText('Select how the contact ended').first().waitFor()
  await checkA11yOfHtml(plain)
  await bar(plain).getByLabel('How did it end?').selectOption('transferred')
  await bar(plain).getByRole('button', { name: 'Complete and wrap up' }).click()
  await plain.waitForURL(/\/staff$/)
  const contacts = await api('GET', '/api/v1/contacts?channel=phone&limit=200', supervisor)
  const mine = contacts.json.items.filter((c) => c.interaction_id === call.json.id)
  assert.equal(mine.length, 1, 'one contact for the transferred call')
  assert.equal(mine[0].disposition, 'transferred')
  assert.equal(mine[0].staff_id, (await api('GET', '/api/v1/agents/me', supervisor)).json.agent_id)
  await agentContext.close()
  await plainContext.close()
})
