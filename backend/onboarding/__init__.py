"""Merchant onboarding review (商户入驻审核, issue 18.5): a business applies off chain, a
consortium reviewer approves (which opens the governance proposal to admit it: the votes stay
on chain) or rejects with a reason, and the applicant follows its status by a secret reference.

The application's company name, licence number and contacts never leave the database; the
proposal carries only what ``MerchantRegistry.admitMerchant`` takes (the program's name and
symbol, its operator address, issuance cap and point value).
"""
