// The journeys of issue 5 in a real browser, against the real binary.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, axe, screenshot, visited, PASSWORD } from './harness.mjs'

let server, browser
const shared = {}

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
  const pages = visited.length
  const bad = visited.filter((v) => v.violations.length > 0)
  console.log(`axe: ${pages} pages checked, ${bad.length} with violations`)
})

// Opens a fresh context (cookies) and a page whose every load is checked by axe.
async function newPage () {
  const context = await browser.newContext({ bypassCSP: true })  // lets axe be injected
  const page = await context.newPage()
  page.on('pageerror', (e) => { throw e })
  return page
}

async function checkA11y (page) {
  const violations = await axe(page)
  assert.deepEqual(violations, [], `axe violations on ${page.url()}: ${JSON.stringify(violations, null, 1)}`)
}

function yesterday () {
  const d = new Date(Date.now() - 24 * 3600 * 1000)
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) }
}

async function signIn (page, email) {
  await page.goto(server.url + '/staff')
  await checkA11y(page)
  assert.match(page.url(), /\/staff\/login$/)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/\/staff$/)
  await checkA11y(page)
}

test('1: a resident reports a missed bin, gets a reference and tracks it', async () => {
  const page = await newPage()
  await page.goto(server.url + '/')
  await checkA11y(page)
  assert.equal(await page.getAttribute('html', 'lang'), 'en')
  for (const word of ['rubbish', 'refuse', 'bin']) {
    await page.goto(server.url + '/services')
    await page.getByLabel('Search for a service').fill(word)
    await page.getByRole('button', { name: 'Search' }).click()
    await checkA11y(page)
    await page.getByRole('link', { name: 'Report a missed bin collection' }).waitFor()
  }
  await page.goto(server.url + '/services')
  await checkA11y(page)
  await page.getByRole('link', { name: 'Report a missed bin collection' }).click()
  await checkA11y(page)
  await page.getByRole('button', { name: 'Start now' }).click()
  await checkA11y(page)
  await page.getByLabel('General waste (black bin)').check()
  const d = yesterday()
  await page.getByLabel('Day').fill(d.day)
  await page.getByLabel('Month').fill(d.month)
  await page.getByLabel('Year').fill(d.year)
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  await page.getByLabel('Yes, tell me about progress').check()
  await page.getByLabel('First name').fill('Margaret')
  await page.getByLabel('Last name').fill('Okafor')
  await page.getByLabel('Email address').fill('margaret.okafor@example.com')
  await page.getByLabel('UK telephone number').fill('07700 900101')
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  await page.getByLabel('Postcode').fill('fh1 4ab')
  await page.getByLabel('Address or description of the place').fill('12 Mill Lane')
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('main'), /General waste \(black bin\)/)
  await page.getByRole('button', { name: 'Send' }).click()
  await checkA11y(page)
  const reference = (await page.textContent('#reference')).trim()
  assert.match(reference, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/)
  assert.match(await page.textContent('main'), /2 working days/)
  shared.binReference = reference

  await page.getByRole('link', { name: 'track your request' }).click()
  await checkA11y(page)
  await page.getByLabel('Reference').fill(reference)
  await page.getByLabel('Email address or postcode you gave us').fill('Margaret.Okafor@example.com')
  await page.getByRole('button', { name: 'Find my request' }).click()
  await checkA11y(page)
  assert.equal((await page.textContent('#status')).trim(), 'Received')

  // A wrong pair reveals nothing, whichever half is wrong.
  const messages = []
  for (const [ref, contact] of [[reference, 'someone@example.com'], ['0000-0000', 'margaret.okafor@example.com']]) {
    await page.goto(server.url + '/track')
    await page.getByLabel('Reference').fill(ref)
    await page.getByLabel('Email address or postcode you gave us').fill(contact)
    await page.getByRole('button', { name: 'Find my request' }).click()
    await checkA11y(page)
    messages.push(await page.textContent('.govuk-error-summary'))
  }
  assert.equal(messages[0], messages[1])
  await page.goto(server.url + '/track')
  await page.getByLabel('Reference').fill(reference)
  await page.getByLabel('Email address or postcode you gave us').fill('FH1 4AB')
  await page.getByRole('button', { name: 'Find my request' }).click()
  assert.equal((await page.textContent('#status')).trim(), 'Received')
  await screenshot(page, 'journey1-track')
  await page.context().close()
})

test('2: an agent finds the caller by phone, sees the web report, adds a note, raises a pothole case', async () => {
  assert.ok(shared.binReference, 'journey 1 must run first')
  const page = await newPage()
  await signIn(page, 'agent@fairhaven.example')
  await page.getByLabel('Phone').fill('07700 900101')
  await page.getByRole('button', { name: 'Find resident' }).click()
  await checkA11y(page)
  await page.getByRole('link', { name: /Margaret Okafor/ }).first().click()
  await checkA11y(page)
  const timeline = await page.textContent('#timeline')
  assert.match(timeline, new RegExp(shared.binReference))
  assert.match(timeline, /Case via web/)

  await page.getByLabel('Reason for contact').fill('Chasing the missed bin')
  await page.getByLabel('Information given').check()
  await page.getByRole('button', { name: 'Record contact' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('#timeline'), /Chasing the missed bin/)

  await page.getByRole('link', { name: new RegExp(shared.binReference) }).click()
  await checkA11y(page)
  await page.getByLabel('Note', { exact: true }).fill('Resident called; crew told.')
  await page.getByRole('button', { name: 'Add note' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('#notes'), /Resident called; crew told\./)

  await page.getByRole('link', { name: 'Margaret Okafor' }).click()
  await page.getByLabel('Service').selectOption('pothole')
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  // The same generated form: the first answer of the first question.
  await page.locator('.govuk-radios__input').first().check()
  await page.getByLabel('Postcode').fill('FH1 4AB')
  await page.getByLabel('Address or description').fill('Outside 12 Mill Lane')
  await page.getByRole('button', { name: 'Raise case' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('h1'), /Case [0-9A-Z]{4}-[0-9A-Z]{4}/)
  shared.potholeReference = (await page.textContent('h1')).replace('Case', '').trim()
  await page.getByRole('link', { name: 'Margaret Okafor' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('#timeline'), new RegExp(shared.potholeReference))
  await screenshot(page, 'journey2-single-view')
  await page.context().close()
})

test('3: the waste officer resolves with a public note; the resident sees it; highways cannot open it', async () => {
  const page = await newPage()
  await signIn(page, 'waste.officer@fairhaven.example')
  await page.goto(server.url + '/staff/queues?view=unassigned')
  await checkA11y(page)
  assert.match(await page.textContent('#queue'), new RegExp(shared.binReference))
  assert.doesNotMatch(await page.textContent('#queue'), new RegExp(shared.potholeReference))
  await page.getByRole('link', { name: shared.binReference }).click()
  await checkA11y(page)
  await page.getByLabel('New status').selectOption('resolved')
  await page.getByLabel(/Note to the resident/).fill('We emptied your bin this morning.')
  await page.getByRole('button', { name: 'Change status' }).click()
  await checkA11y(page)
  assert.equal((await page.textContent('#case-status')).trim(), 'Resolved')
  await page.context().close()

  const resident = await newPage()
  await resident.goto(server.url + '/track')
  await resident.getByLabel('Reference').fill(shared.binReference)
  await resident.getByLabel('Email address or postcode you gave us').fill('margaret.okafor@example.com')
  await resident.getByRole('button', { name: 'Find my request' }).click()
  await checkA11y(resident)
  assert.equal((await resident.textContent('#status')).trim(), 'Resolved')
  assert.match(await resident.textContent('#public-notes'), /We emptied your bin this morning\./)
  assert.doesNotMatch(await resident.textContent('main'), /crew told/)
  await resident.context().close()

  const other = await newPage()
  await signIn(other, 'highways.officer@fairhaven.example')
  const response = await other.goto(server.url + '/staff/cases/' + shared.binReference)
  assert.equal(response.status(), 404)
  await checkA11y(other)
  assert.doesNotMatch(await other.textContent('main'), /emptied/)
  await screenshot(other, 'journey3-other-department')
  await other.context().close()
})

test('4: form errors show a summary and keep the answers', async () => {
  const page = await newPage()
  await page.goto(server.url + '/services/missed-bin/report')
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  assert.match(await page.title(), /^Error: /)
  const summary = await page.textContent('.govuk-error-summary')
  assert.match(summary, /Which bin was missed/)
  assert.match(summary, /Enter a date/)
  await page.getByLabel('Recycling (blue bin)').check()
  await page.getByLabel('Day').fill('32')
  await page.getByLabel('Month').fill('13')
  await page.getByLabel('Year').fill('2026')
  await page.getByLabel(/Is there anything else/).fill('Lid was open')
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('.govuk-error-summary'), /must be a real date/)
  assert.ok(await page.getByLabel('Recycling (blue bin)').isChecked())
  assert.equal(await page.getByLabel('Day').inputValue(), '32')
  assert.equal(await page.getByLabel(/Is there anything else/).inputValue(), 'Lid was open')
  // The summary link moves focus to the field.
  await page.locator('.govuk-error-summary a').first().click()
  const d = yesterday()
  await page.getByLabel('Day').fill(d.day)
  await page.getByLabel('Month').fill(d.month)
  await page.getByLabel('Year').fill(d.year)
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('Yes, tell me about progress').check()
  await page.getByLabel('First name').fill('Test')
  await page.getByLabel('Last name').fill('Person')
  await page.getByLabel('Email address').fill('not-an-email')
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('.govuk-error-summary'), /email address in the correct format/)
  assert.equal(await page.getByLabel('First name').inputValue(), 'Test')
  await page.getByLabel('Email address').fill('test.person@example.com')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('Postcode').fill('XX1')
  await page.getByRole('button', { name: 'Continue' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('.govuk-error-summary'), /postcode/i)
  assert.equal(await page.getByLabel('Postcode').inputValue(), 'XX1')
  await screenshot(page, 'journey4-errors')
  await page.context().close()
})

test('5: axe found no WCAG 2.2 AA violations on any page visited', () => {
  assert.ok(visited.length >= 30, `only ${visited.length} pages checked`)
  const bad = visited.filter((v) => v.violations.length > 0)
  assert.deepEqual(bad, [])
})
