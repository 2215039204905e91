// Issue 11 §4 in a real browser: an agent raising a case is warned of a
// possible duplicate before saving and links the caller to it instead; an
// officer marks a case a duplicate of another; a resident on the portal is
// told "already reported" and adds themselves to that report.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, newPage as openPage, checkA11y, screenshot, visited, staffClient } from './harness.mjs'

let server, browser, api, token, signIn
const shared = {}

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

const newPage = () => openPage(browser)

async function citizen (agent, given, family, email) {
  const res = await api('POST', '/api/v1/citizens', agent, { given_name: given, family_name: family, emails: [email] })
  assert.equal(res.status, 201, JSON.stringify(res.json))
  return res.json.id
}

async function flyTipping (agent, citizenId, postcode, description) {
  const res = await api('POST', '/api/v1/cases', agent, {
    service_code: 'fly-tipping',
    channel: 'phone',
    citizen_id: citizenId,
    values: { waste_types: ['furniture'], amount: 'car-boot' },
    location: { postcode, description }
  })
  assert.equal(res.status, 201, JSON.stringify(res.json))
  return res.json
}

test('an agent is warned of a possible duplicate before saving and links the caller to it', async () => {
  const agent = await token('agent@fairhaven.example')
  const first = await citizen(agent, 'Edna', 'First', 'edna.first@example.com')
  const caller = await citizen(agent, 'Colin', 'Caller', 'colin.caller@example.com')
  const original = await flyTipping(agent, first, 'FH1 4AB', 'Sofa dumped behind the Mill Lane car park')
  shared.original = original.reference

  const page = await newPage()
  await signIn(page, 'agent@fairhaven.example')
  await page.goto(`${server.url}/staff/citizens/${caller}/raise?service=fly-tipping`)
  await checkA11y(page)
  await page.getByLabel('Furniture').check()
  await page.getByLabel('A car boot load').check()
  await page.getByLabel('Postcode').fill('fh1 4ab')
  await page.getByLabel('Address or description').fill('Mill Lane car park')
  await page.getByRole('button', { name: 'Raise case' }).click()
  await checkA11y(page)
  // Nothing saved yet: the possible duplicates come first.
  const panel = page.locator('#possible-duplicates')
  assert.match(await panel.textContent(), /Possible duplicates/)
  assert.match(await panel.textContent(), new RegExp(original.reference))
  assert.match(await panel.textContent(), /Sofa dumped behind the Mill Lane car park/)
  assert.match(await panel.textContent(), /Reported at the same address or postcode/)
  await screenshot(page, 'duplicates-agent-warned')
  const before = await api('GET', '/api/v1/cases?service=fly-tipping', agent)
  assert.equal(before.json.items.length, 1)

  await page.getByRole('button', { name: `Link to this case ${original.reference}` }).click()
  await checkA11y(page)
  assert.match(page.url(), new RegExp(`/staff/cases/${original.reference}`))
  assert.match(await page.textContent('.govuk-notification-banner'), /linked to/)
  assert.match(await page.textContent('#followers'), /1 other resident is kept informed/)
  // No new case; the call is recorded against the original.
  const after = await api('GET', '/api/v1/cases?service=fly-tipping', agent)
  assert.equal(after.json.items.length, 1)
  const contacts = await api('GET', `/api/v1/contacts?citizen=${caller}`, agent)
  assert.ok(contacts.json.items.some((c) => c.case_id === original.id), JSON.stringify(contacts.json))

  // "Raise a new case anyway" saves it after all.
  await page.goto(`${server.url}/staff/citizens/${caller}/raise?service=fly-tipping`)
  await page.getByLabel('Tyres').check()
  await page.getByLabel('A single item').check()
  await page.getByLabel('Postcode').fill('FH1 4AB')
  await page.getByRole('button', { name: 'Raise case' }).click()
  await page.getByRole('button', { name: 'Raise a new case anyway' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('h1'), /Case [0-9A-Z]{4}-[0-9A-Z]{4}/)
  const second = (await page.textContent('h1')).replace('Case', '').trim()
  assert.notEqual(second, original.reference)
  shared.second = second
  await page.context().close()
})

test('an officer marks a case a duplicate of another by its reference', async () => {
  assert.ok(shared.second, 'the first test must run first')
  const page = await newPage()
  await signIn(page, 'waste.officer@fairhaven.example')
  await page.goto(`${server.url}/staff/cases/${shared.second}`)
  await checkA11y(page)
  // A mistyped reference fails its check symbol.
  const typo = shared.original.slice(0, -1) + (shared.original.endsWith('A') ? 'B' : 'A')
  await page.getByLabel('Reference of the original case').fill(typo)
  await page.getByRole('button', { name: 'Mark as duplicate' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('.govuk-error-summary'), /Enter the reference of an open case/)
  await page.getByLabel('Reference of the original case').fill(shared.second)
  await page.getByRole('button', { name: 'Mark as duplicate' }).click()
  assert.match(await page.textContent('.govuk-error-summary'), /cannot be a duplicate of itself/)
  await page.getByLabel('Reference of the original case').fill(shared.original.toLowerCase())
  await page.getByRole('button', { name: 'Mark as duplicate' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('.govuk-notification-banner'), new RegExp(`Closed as a duplicate of ${shared.original}`))
  assert.equal((await page.textContent('#case-status')).trim(), 'Closed')
  assert.equal((await page.textContent('#duplicate-of')).trim(), shared.original)
  await page.getByRole('link', { name: shared.original }).click()
  await checkA11y(page)
  assert.match(await page.textContent('#duplicates'), new RegExp(shared.second))
  await screenshot(page, 'duplicates-original')
  await page.context().close()
})

test('a resident on the portal is told "already reported" and adds themselves to it', async () => {
  assert.ok(shared.original, 'the first test must run first')
  const page = await newPage()
  await page.goto(server.url + '/services/fly-tipping')
  await checkA11y(page)
  await page.getByRole('button', { name: 'Start now' }).click()
  await page.getByLabel('Furniture').check()
  await page.getByLabel('A car boot load').check()
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  await page.getByLabel('Yes, tell me about progress').check()
  await page.getByLabel('First name').fill('Rita')
  await page.getByLabel('Last name').fill('Resident')
  await page.getByLabel('Email address').fill('rita.resident@example.com')
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  // Neither place field claims to be optional: one of them is needed.
  assert.doesNotMatch(await page.textContent('main'), /Postcode \(optional\)/)
  assert.match(await page.textContent('#location-needed'), /postcode, describe the place, or both/)
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('.govuk-error-summary'), /Enter the postcode, or describe where it is/)
  await page.getByLabel('Postcode').fill('FH1 4AB')
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  const notice = page.locator('#already-reported')
  assert.match(await notice.textContent(), /This may already have been reported/)
  assert.match(await notice.textContent(), new RegExp(shared.original))
  await screenshot(page, 'duplicates-portal-already-reported')
  await page.getByRole('button', { name: `Add me to that report to be kept informed ${shared.original}` }).click()
  await checkA11y(page)
  assert.match(await page.textContent('h1'), /You will be kept informed/)
  assert.equal((await page.textContent('#reference')).trim(), shared.original)

  // She tracks that report with her own email address.
  await page.getByRole('link', { name: 'track that report' }).click()
  await page.getByLabel('Reference').fill(shared.original)
  await page.getByLabel('Email address or postcode you gave us').fill('rita.resident@example.com')
  await page.getByRole('button', { name: 'Find my request' }).click()
  await checkA11y(page)
  assert.equal((await page.textContent('#status')).trim(), 'Received')
  const agent = await token('agent@fairhaven.example')
  const cases = await api('GET', '/api/v1/cases?service=fly-tipping', agent)
  assert.equal(cases.json.items.length, 2, 'the portal made no new case')

  // The closed duplicate's resident sees the original on their tracking page.
  await page.goto(server.url + '/track')
  await page.getByLabel('Reference').fill(shared.second)
  await page.getByLabel('Email address or postcode you gave us').fill('colin.caller@example.com')
  await page.getByRole('button', { name: 'Find my request' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('#original-report'), new RegExp(`Already reported as ${shared.original}`))
  assert.equal((await page.textContent('#original-status')).trim(), 'Received')
  await screenshot(page, 'duplicates-track-original')
  await page.context().close()
})
