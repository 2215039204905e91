// The staff edit page's "Phone extension" section in a real browser: an admin
// sees the seeded extension, gets field errors shown like the other forms,
// cannot take another person's extension, sets and removes one; Welsh too.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, newPage as openPage, checkA11y, PASSWORD } from './harness.mjs'

let server, browser

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

async function signIn (page, email) {
  await page.goto(server.url + '/staff/login')
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/\/staff$/)
}

async function openStaff (page, name) {
  await page.goto(server.url + '/staff/admin/staff')
  await page.getByRole('link', { name }).click()
  await checkA11y(page)
}

test('an admin sets, refuses and removes phone extensions on the staff page', async () => {
  const page = await openPage(browser)
  await signIn(page, 'admin@fairhaven.example')

  await openStaff(page, 'Aisha Agent')
  assert.match(await page.textContent('#phone-extension'), /Extension: 1001/)
  assert.equal(await page.getByLabel('Extension').inputValue(), '1001')
  assert.equal(await page.getByLabel('New phone password').inputValue(), '')

  await openStaff(page, 'Wendy Waste')
  assert.match(await page.textContent('#phone-extension'), /No phone/)
  assert.equal(await page.getByRole('button', { name: 'Remove phone extension' }).count(), 0)

  // Field errors, in the summary and at the field; the password is never echoed.
  await page.getByLabel('Extension').fill('12a')
  await page.getByLabel('New phone password').fill('short')
  await page.getByRole('button', { name: 'Set phone extension' }).click()
  await checkA11y(page)
  const summary = await page.textContent('.govuk-error-summary')
  assert.match(summary, /2 to 8 digits/)
  assert.match(summary, /at least 8 characters/)
  assert.equal(await page.getByLabel('Extension').inputValue(), '12a')
  assert.equal(await page.getByLabel('New phone password').inputValue(), '')

  // Someone else's extension.
  await page.getByLabel('Extension').fill('1001')
  await page.getByLabel('New phone password').fill('wendy-phone-pw')
  await page.getByRole('button', { name: 'Set phone extension' }).click()
  assert.match(await page.textContent('.govuk-error-summary'), /Another staff member has this extension/)
  assert.match(await page.textContent('#phone-extension'), /No phone/)

  await page.getByLabel('Extension').fill('2001')
  await page.getByLabel('New phone password').fill('wendy-phone-pw')
  await page.getByRole('button', { name: 'Set phone extension' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('#phone'), /Phone extension/)
  assert.match(await page.textContent('#phone-extension'), /Extension: 2001/)
  assert.match(await page.textContent('main'), /Phone extension saved/)
  assert.doesNotMatch(await page.content(), /wendy-phone-pw/)

  await page.getByRole('button', { name: 'Remove phone extension' }).click()
  await checkA11y(page)
  assert.match(await page.textContent('#phone-extension'), /No phone/)
  assert.match(await page.textContent('main'), /Phone extension removed/)

  // Welsh.
  await page.goto(page.url().replace(/[?#].*$/, '') + '?lang=cy')
  assert.match(await page.textContent('#phone-extension'), /Dim ffôn/)
  assert.match(await page.textContent('main'), /Estyniad ffôn/)
  await page.context().close()
})

test('the phone forms are for admins only and need the form token', async () => {
  const admin = await openPage(browser)
  await signIn(admin, 'admin@fairhaven.example')
  await openStaff(admin, 'Aisha Agent')
  const action = await admin.getAttribute('form[action$="/sip"]', 'action')
  // A POST without the CSRF token is refused and changes nothing.
  const forged = await admin.request.post(server.url + action, {
    form: { sip_extension: '1999', sip_password: 'forged-password' }
  })
  assert.equal(forged.status(), 403)
  await admin.reload()
  assert.match(await admin.textContent('#phone-extension'), /Extension: 1001/)
  await admin.context().close()

  const supervisor = await openPage(browser)
  await signIn(supervisor, 'supervisor@fairhaven.example')
  // With the supervisor's own valid form token: still refused (admins only).
  const token = await supervisor.getAttribute('input[name="csrf_token"]', 'value')
  assert.ok(token)
  const response = await supervisor.request.post(server.url + action, {
    form: { csrf_token: token, sip_extension: '1999', sip_password: 'forged-password' }
  })
  assert.equal(response.status(), 403)
  assert.doesNotMatch(await response.text(), /expired/)
  await supervisor.context().close()
})
