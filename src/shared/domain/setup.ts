/** Setup's "sign in with the kiosk account": what the screen sends and what it learns. */

/** The kiosk account's credentials and the hotel being set up (`POST /api/staff/login/`). */
export interface SignInRequest {
  apiBaseUrl: string;
  hotelSlug: string;
  username: string;
  password: string;
}

/** `insecure_url`: plain http:// to another machine without the lab flag (the password would cross the network in clear). */
export type SignInErrorCode = 'bad_credentials' | 'unreachable' | 'wrong_hotel' | 'bad_response' | 'insecure_url';

/** The signed-in account as the setup screen shows it (the token stays in main). */
export interface SignedInAccount {
  accountName: string;
  hotelName: string;
}
