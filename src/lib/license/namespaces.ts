export const LICENSE_NS = 'urn:timecard:rmm:license:1'
export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#'
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature'
