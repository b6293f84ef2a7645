// The config.toml keys the Supabase CLI understands. Keys outside this tree get a warning (never an
// error) so a project written for a newer CLI still starts here. `*` matches any table name
// (buckets, providers, functions, hooks, templates).

type KeyTree = { [key: string]: KeyTree | true };

const providerKeys: KeyTree = {
  enabled: true,
  client_id: true,
  secret: true,
  redirect_uri: true,
  url: true,
  skip_nonce_check: true,
  email_optional: true,
};
const hookKeys: KeyTree = { enabled: true, uri: true, secrets: true };
const templateKeys: KeyTree = { subject: true, content_path: true, content: true };
const limitKeys: KeyTree = {
  enabled: true,
  max_namespaces: true,
  max_tables: true,
  max_catalogs: true,
  max_buckets: true,
  max_indexes: true,
  buckets: { "*": true },
};

export const knownConfigKeys: KeyTree = {
  project_id: true,
  api: {
    enabled: true,
    port: true,
    schemas: true,
    extra_search_path: true,
    max_rows: true,
    external_url: true,
    auto_expose_new_tables: true,
    tls: { enabled: true, cert_path: true, key_path: true },
  },
  db: {
    port: true,
    shadow_port: true,
    health_timeout: true,
    major_version: true,
    orioledb_version: true,
    root_key: true,
    pooler: { enabled: true, port: true, pool_mode: true, default_pool_size: true, max_client_conn: true },
    migrations: { enabled: true, schema_paths: true },
    seed: { enabled: true, sql_paths: true },
    network_restrictions: { enabled: true, allowed_cidrs: true, allowed_cidrs_v6: true },
    ssl_enforcement: { enabled: true },
    vault: { "*": true },
    settings: { "*": true },
  },
  realtime: { enabled: true, ip_version: true, max_header_length: true },
  studio: { enabled: true, port: true, api_url: true, openai_api_key: true, pgmeta_image: true },
  inbucket: { enabled: true, port: true, smtp_port: true, pop3_port: true, admin_email: true, sender_name: true },
  local_smtp: { enabled: true, port: true, smtp_port: true, pop3_port: true, admin_email: true, sender_name: true },
  storage: {
    enabled: true,
    file_size_limit: true,
    s3_protocol: { enabled: true },
    image_transformation: { enabled: true },
    analytics: limitKeys,
    vector: limitKeys,
    buckets: { "*": { public: true, file_size_limit: true, allowed_mime_types: true, objects_path: true } },
  },
  auth: {
    enabled: true,
    site_url: true,
    additional_redirect_urls: true,
    jwt_expiry: true,
    jwt_issuer: true,
    enable_refresh_token_rotation: true,
    refresh_token_reuse_interval: true,
    enable_signup: true,
    enable_anonymous_sign_ins: true,
    enable_manual_linking: true,
    minimum_password_length: true,
    password_requirements: true,
    signing_keys_path: true,
    jwt_secret: true,
    anon_key: true,
    service_role_key: true,
    publishable_key: true,
    secret_key: true,
    rate_limit: {
      email_sent: true,
      sms_sent: true,
      anonymous_users: true,
      token_refresh: true,
      sign_in_sign_ups: true,
      token_verifications: true,
      web3: true,
    },
    captcha: { enabled: true, provider: true, secret: true },
    sessions: { timebox: true, inactivity_timeout: true },
    email: {
      enabled: true,
      enable_signup: true,
      double_confirm_changes: true,
      enable_confirmations: true,
      secure_password_change: true,
      max_frequency: true,
      otp_length: true,
      otp_expiry: true,
      smtp: { enabled: true, host: true, port: true, user: true, pass: true, admin_email: true, sender_name: true },
      template: { "*": templateKeys },
      notification: { "*": { enabled: true, subject: true, content_path: true } },
    },
    sms: {
      enabled: true,
      enable_signup: true,
      enable_confirmations: true,
      template: true,
      max_frequency: true,
      test_otp: { "*": true },
      twilio: { enabled: true, account_sid: true, message_service_sid: true, auth_token: true },
      twilio_verify: { enabled: true, account_sid: true, message_service_sid: true, auth_token: true },
      messagebird: { "*": true },
      textlocal: { "*": true },
      vonage: { "*": true },
    },
    mfa: {
      max_enrolled_factors: true,
      totp: { enroll_enabled: true, verify_enabled: true },
      phone: { enroll_enabled: true, verify_enabled: true, otp_length: true, template: true, max_frequency: true },
      web_authn: { enroll_enabled: true, verify_enabled: true },
    },
    hook: { "*": hookKeys },
    external: { "*": providerKeys },
    web3: { "*": { enabled: true } },
    third_party: {
      "*": { enabled: true, tenant: true, tenant_region: true, project_id: true, user_pool_id: true, user_pool_region: true, domain: true },
    },
    oauth_server: { enabled: true, authorization_url_path: true, allow_dynamic_registration: true },
    passkey: { enabled: true },
    webauthn: { rp_display_name: true, rp_id: true, rp_origins: true },
  },
  edge_runtime: { enabled: true, policy: true, inspector_port: true, deno_version: true, secrets: { "*": true } },
  functions: { "*": { enabled: true, verify_jwt: true, import_map: true, entrypoint: true, static_files: true } },
  analytics: {
    enabled: true,
    port: true,
    backend: true,
    vector_port: true,
    gcp_project_id: true,
    gcp_project_number: true,
    gcp_jwt_path: true,
  },
  experimental: { "*": true },
  remotes: { "*": true },
};

/** Lists dotted paths of keys in `table` that the CLI would not recognise. */
export function findUnknownKeys(table: Record<string, unknown>, known: KeyTree = knownConfigKeys, prefix = ""): string[] {
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(table)) {
    const rule = known[key] ?? known["*"];
    const path = prefix ? `${prefix}.${key}` : key;
    if (rule === undefined) unknown.push(path);
    else if (rule !== true && value && typeof value === "object" && !Array.isArray(value)) {
      unknown.push(...findUnknownKeys(value as Record<string, unknown>, rule, path));
    }
  }
  return unknown;
}
