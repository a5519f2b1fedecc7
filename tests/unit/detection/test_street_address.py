"""Street addresses through the engine (pre-filter included): English, continental European
and US military forms are found whole; English sentences with a capital and a number are not
addresses."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest


@pytest.fixture(scope="module")
def addresses(values_found: Callable[[str, str], list[str]]) -> Callable[[str], list[str]]:
    return functools.partial(values_found, entity_type="STREET_ADDRESS")


@pytest.mark.parametrize("address", [
    "1600 Pennsylvania Avenue NW",
    "1600 Pennsylvania Avenue NW, Washington, DC 20500",
    "10 Downing Street, London SW1A 2AA",
    "290 Bremner Blvd, Toronto, ON M5V 3L9",
    "Rue de Rivoli 12",
    "Via delle Coste 41",
    "Rua do Arenque 1634",
    "ul. Miła 53",
    "12 rue de Rivoli",
    "5 Avenue Foch",
    "Rákóczi út 66.",
    "Király u. 15.",
    "Hauptstraße 5",
    "Hauptstraße 5, 10115 Berlin",
    "Via Roma 1, 00184 Roma",
    "Rue du Faubourg Saint-Honoré 55, 75008 Paris",
    "Brucker Bundesstrasse 31",
    "Hammarvägen 15",
    "Koskikatu 25 Apt. 864",
    "Skogstien 106",
    "Þórunnarstræti 31",
    "PSC 9009, Box 9725\nAPO AA 33274",
    "Unit 0822 Box 8858\nDPO AE 13319",
])
def test_an_address_is_found_whole(addresses, address: str) -> None:  # type: ignore[no-untyped-def]
    assert addresses(f"please ship it to {address} by Friday") == [address]


@pytest.mark.parametrize("text", [
    "we sent it via Slack 3 times",
    "as shown by Jones et al. Smith 2019 argued otherwise",
    "boarding at Terminal B gate 12 now",
    "upgrade to Windows 11 and Python 3 first",
    "the Spring 2024 release notes",
    "I bought 2 Via Rail tickets",
    "see Chapter 12 and Section 4",
    "the Route Table 3 entry is stale",
])
def test_a_capital_and_a_number_are_not_an_address(addresses, text: str) -> None:  # type: ignore[no-untyped-def]
    assert addresses(text) == []
