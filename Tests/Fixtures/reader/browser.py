#!/usr/bin/python3
"""Drives the reader page of a running `feedwatch run` in headless Chromium (Selenium, Debian's
chromium and chromium-driver) and prints what a person would see, as one JSON object, for
ReaderPageTests to check. It asserts nothing itself.

usage: browser.py BASE_URL [--screenshots DIR]
"""
import json
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait


def browser(language):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1100,820", "--lang=" + language, "--hide-scrollbars"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": language + ("" if language == "en" else ",en")})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def rows(d):
    out = []
    for li in d.find_elements(By.CSS_SELECTOR, "li.alert"):
        title = li.find_element(By.CSS_SELECTOR, ".title")
        out.append({
            "id": li.get_attribute("data-id"),
            "title": title.text,
            "direction": d.execute_script("return getComputedStyle(arguments[0]).direction", title),
            "feed": li.find_element(By.CSS_SELECTOR, ".feed").text,
        })
    return out


def pwned(d):
    return d.execute_script("return typeof window.pwned === 'undefined' ? null : String(window.pwned)")


def page_facts(d):
    return {
        "lang": d.execute_script("return document.documentElement.lang"),
        "direction": d.execute_script("return getComputedStyle(document.body).direction"),
        "pwned": pwned(d),
        "scripts": d.execute_script("return document.scripts.length"),
        "text": d.find_element(By.TAG_NAME, "body").text,
    }


def navigating(d, act):
    """Does `act` (a click, a key) and waits until the page it leads to has loaded."""
    old = d.find_element(By.TAG_NAME, "html")
    act()
    WebDriverWait(d, 15).until(expected_conditions.staleness_of(old))
    WebDriverWait(d, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def forged_post(d, path, fields):
    """A form posted to `path` with `fields` (no token, or a wrong one), as another page would send it;
    returns the text of the answer page."""
    navigating(d, lambda: d.execute_script(
        "var f = document.createElement('form'), fields = arguments[1]; f.method = 'post'; f.action = arguments[0];"
        "Object.keys(fields).forEach(function (k) { var i = document.createElement('input');"
        " i.type = 'hidden'; i.name = k; i.value = fields[k]; f.appendChild(i); });"
        "document.body.appendChild(f); f.submit();", path, fields))
    return d.find_element(By.TAG_NAME, "body").text


def main():
    base = sys.argv[1].rstrip("/")
    shots = sys.argv[sys.argv.index("--screenshots") + 1] if "--screenshots" in sys.argv else None
    report = {}

    ar = browser("ar")
    try:
        ar.get(base + "/")
        report["ar_list"] = page_facts(ar)
        report["ar_rows"] = rows(ar)
        arabic = [r for r in report["ar_rows"] if r["title"].startswith("OpenAI")]
        if shots:
            ar.save_screenshot(shots + "/reader-list-ar.png")
        if arabic:
            ar.get(base + "/alerts/" + arabic[0]["id"])
            h1 = ar.find_element(By.CSS_SELECTOR, "h1.title")
            report["ar_alert"] = page_facts(ar)
            report["ar_alert"]["title_direction"] = ar.execute_script("return getComputedStyle(arguments[0]).direction", h1)
            report["ar_alert"]["sources"] = len(ar.find_elements(By.CSS_SELECTOR, "ul.sources li"))
            report["ar_alert"]["why_rows"] = [tr.text for tr in ar.find_elements(By.CSS_SELECTOR, "table.why tbody tr")]
            if shots:
                ar.save_screenshot(shots + "/reader-alert-ar.png")
    finally:
        ar.quit()

    en = browser("en")
    try:
        en.get(base + "/")
        report["en_list"] = page_facts(en)
        report["en_rows"] = rows(en)
        report["feed_options"] = [o.text for o in Select(en.find_element(By.NAME, "feed")).options]
        if shots:
            en.save_screenshot(shots + "/reader-list-en.png")
        arabic = [r for r in report["en_rows"] if r["title"].startswith("OpenAI")]
        if arabic:
            en.get(base + "/alerts/" + arabic[0]["id"])
            h1 = en.find_element(By.CSS_SELECTOR, "h1.title")
            report["en_alert"] = page_facts(en)
            report["en_alert"]["title_direction"] = en.execute_script("return getComputedStyle(arguments[0]).direction", h1)
            if shots:
                en.save_screenshot(shots + "/reader-alert-en.png")

        # Filters, through the form as a person uses it.
        en.get(base + "/")
        Select(en.find_element(By.NAME, "topic")).select_by_value("gold-prices")
        navigating(en, lambda: en.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click())
        report["topic_rows"] = [r["id"] for r in rows(en)]
        en.get(base + "/")
        box = en.find_element(By.NAME, "q")
        box.send_keys("الذهب")
        navigating(en, box.submit)
        report["search_rows"] = [r["id"] for r in rows(en)]

        # A POST without the token, and one with a wrong token: both refused, nothing moves.
        first = report["en_rows"][0]["id"] if report["en_rows"] else "none"
        en.get(base + "/")
        report["post_without_token"] = forged_post(en, "/alerts/" + first + "/ack", {"back": "/"})
        en.get(base + "/")
        report["post_wrong_token"] = forged_post(en, "/alerts/" + first + "/ack", {"csrf": "0" * 64, "back": "/"})

        # Keys: j selects the first alert, a acknowledges it (its own form, with the token).
        en.get(base + "/")
        body = en.find_element(By.TAG_NAME, "body")
        body.send_keys("j")
        report["selected"] = en.execute_script(
            "var c = document.querySelector('li.alert.current'); return c ? c.getAttribute('data-id') : null")
        navigating(en, lambda: body.send_keys("a"))
        report["after_ack_rows"] = [r["id"] for r in rows(en)]
        body = en.find_element(By.TAG_NAME, "body")
        body.send_keys("?")
        report["help_open"] = en.execute_script("return document.getElementById('help').open")
        report["final_pwned"] = pwned(en)
    finally:
        en.quit()
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
