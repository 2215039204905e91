// Replies to the resident from the staff case page (issue 13), in a real
// browser against the real binary with a real SMTP server behind it
// (tests/fakes/smtp_sink.py): the agent reads "Nothing sent yet.", sends an
// empty reply (an error on the field), then a reply; the resident's mail
// arrives with the case reference in its subject and the page shows it
// "Sent" in "Messages to the resident" and in the history. A resident with
// only a landline gets no reply form (no email, no texts configured). axe on
// every page; screenshots kept.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startServer, launchBrowser, newPage, checkA11y, screenshot, visited, staffClient } from './harness.mjs'

let sink, sinkDir, server, browser, api, token, signInPage

async function startSink () {
  sinkDir = mkdtempSync(path.join(tmpdir(), 'onestop-sink-'))
  const child = spawn('/usr/bin/python3', ['tests/fakes/smtp_sink.py', '--dir', sinkDir], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => reject(new Error('the SMTP sink did not start')), 15000)
    child.stdout.on('data', (chunk) => {
      buffered += chunk
      const m = buffered.match(/PORT (\d+)/)
      if (m) { clearTimeout(timer); resolve(Number(m[1])) }
    })
  })
  return { child, port }
}

function received () {
  return readdirSync(sinkDir).filter((f) => f.endsWith('.eml')).sort()
    .map((f) => readFileSync(path.join(sinkDir, f), 'utf8'))
}

before(async () => {
  sink = await startSink()
  server = await startServer({ extraArgs: ['--smtp-url', `smtp://127.0.0.1:${sink.port}`] });
  ({ api, token, signInPage } = staffClient(server))
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
  sink?.child.kill('SIGTERM')
  if (sinkDir) rmSync(sinkDir, { recursive: true, force: true })
  const bad = visited.filter((v) => v.violations.length > 0)
  console.log(`axe: ${visited.length} pages checked, ${bad.length} with violations`)
})

async function caseFor (agent, citizen) {
  const c = await api('POST', '/api/v1/citizens', agent, citizen)
  assert.equal(c.status, 201, JSON.stringify(c.json))
  const opened = await api('POST', '/api/v1/cases', agent, {
    service_code: 'general-enquiry', channel: 'phone', citizen_id: c.json.id,
    values: { question: 'When does the library open on Saturdays?' }
  })
  assert.equal(opened.status, 201, JSON.stringify(opened.json))
  return opened.json.reference
}

test('an agent replies to the resident by email from the case page', async () => {
  const agent = await token('agent@fairhaven.example')
  const reference = await caseFor(agent, { given_name: 'Nia', family_name: 'Evans', emails: ['nia.evans@example.org'] })
  const page = await signInPage(await newPage(browser), 'agent@fairhaven.example')
  await page.goto(`${server.url}/staff/cases/${reference}`)
  await page.getByText('Nothing sent yet.').waitFor()
  await page.getByText('By email to nia.evans@example.org').waitFor()
  await checkA11y(page)

  // An empty reply: the error is on the field, nothing is sent.
  await page.getByRole('button', { name: 'Send reply' }).click()
  await page.locator('.govuk-error-summary').getByText('Enter your reply').waitFor()
  await checkA11y(page)
  assert.equal(received().length, 0)

  await page.getByLabel('Your reply').fill('The library opens at 9:30 on Saturdays.')
  await page.getByRole('button', { name: 'Send reply' }).click()
  await page.getByText('Your reply is on its way to the resident').waitFor()

  // The resident's copy: threaded subject with the reference, our words.
  let mail = []
  for (let i = 0; i < 100 && mail.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    mail = received()
  }
  assert.equal(mail.length, 1)
  const unfolded = mail[0].replace(/\r\n[ \t]+/g, ' ')  // header lines folded by the sender
  assert.match(unfolded, new RegExp(`Subject: Re: [^\r]*\\[Ref ${reference}\\]`))
  assert.match(mail[0], /To: nia\.evans@example\.org/)
  assert.match(mail[0], /The library opens at 9:30 on Saturdays\./)
  assert.doesNotMatch(mail[0], /Auto-Submitted/, 'a person wrote it')

  // Sent, on the page and in the history.
  for (let i = 0; i < 50; i++) {
    await page.reload()
    if (await page.locator('#messages').getByText('Sent').count() > 0) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const messages = page.locator('#messages')
  await messages.getByText('Sent').waitFor()
  await messages.getByText('The library opens at 9:30 on Saturdays.').waitFor()
  await page.locator('#history').getByText('Reply email sent').waitFor()
  await checkA11y(page)
  await screenshot(page, 'case-reply-sent')
  await page.context().close()
})

test('a resident with only a landline gets no reply form', async () => {
  const agent = await token('agent@fairhaven.example')
  const reference = await caseFor(agent, { given_name: 'Ifan', family_name: 'Jones', phones: ['01632 960456'] })
  const page = await signInPage(await newPage(browser), 'agent@fairhaven.example')
  await page.goto(`${server.url}/staff/cases/${reference}`)
  await page.getByText('Nothing sent yet.').waitFor()
  assert.equal(await page.getByRole('button', { name: 'Send reply' }).count(), 0)
  await checkA11y(page)
  await page.context().close()
})
