// Vendor request signing: published vectors from the vendors' SDKs and docs, sign → verify round
// trips, and the mock gateways' refusals in the gateways' own error wording.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  ALIYUN_ERRORS,
  aliyunAppCodeHeaders,
  aliyunStringToSign,
  createMemoryNonceStore,
  huaweiCanonicalRequest,
  huaweiStringToSign,
  parseSdkDate,
  signAliyunGateway,
  signHuaweiApig,
  verifyAliyunGateway,
  verifyHuaweiApig,
  type AliyunRequest,
  type HuaweiRequest,
} from '../../packages/server/src/signing/index.js';
import { hmacSha256, md5, sha256, toBase64, toHex } from '../../packages/server/src/signing/hash.js';

describe('pure hashes', () => {
  test('SHA-256, HMAC-SHA256, MD5 and base64 agree with node:crypto at every padding boundary', () => {
    for (const length of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 70_000]) {
      const data = randomBytes(length);
      const key = randomBytes(length % 150);
      assert.equal(toHex(sha256(data)), createHash('sha256').update(data).digest('hex'), `sha256 of ${length} bytes`);
      assert.equal(toHex(md5(data)), createHash('md5').update(data).digest('hex'), `md5 of ${length} bytes`);
      assert.equal(toHex(hmacSha256(key, data)), createHmac('sha256', key).update(data).digest('hex'), `hmac of ${length} bytes`);
      assert.equal(toBase64(data), data.toString('base64'), `base64 of ${length} bytes`);
    }
    assert.equal(toHex(sha256('中文 ✓')), createHash('sha256').update('中文 ✓', 'utf8').digest('hex'));
  });
});

describe('Huawei APIG SDK-HMAC-SHA256', () => {
  const sdkCredentials = { appKey: 'AccessKey', appSecret: 'SecretKey' };

  // huaweicloud/huaweicloud-sdk-python-v3, huaweicloud-sdk-core/tests/test_signer.py (test_signer1).
  test('published vector: GET /resources?size=1 (Python SDK test_signer1)', () => {
    const headers = signHuaweiApig(
      { method: 'GET', url: 'https://service.endpoint.myhuaweicloud.com/resources?size=1', headers: {} },
      sdkCredentials,
      { date: '20200608T023900Z' },
    );
    assert.deepEqual(headers, {
      'X-Sdk-Date': '20200608T023900Z',
      host: 'service.endpoint.myhuaweicloud.com',
      Authorization:
        'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842',
    });
  });

  // Same file, test_signer2: the body's hash is signed.
  test('published vector: POST with a JSON body (Python SDK test_signer2)', () => {
    const headers = signHuaweiApig(
      {
        method: 'POST',
        url: 'https://service.endpoint.myhuaweicloud.com/resources?size=1',
        headers: { 'X-Sdk-Date': '20200608T023900Z' },
        body: '{"name":"test","id":1}',
      },
      sdkCredentials,
    );
    assert.equal(
      headers['Authorization'],
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f',
    );
  });

  // huaweicloud/huaweicloud-sdk-go-v3, core/auth/signer/signer_test.go (TestSigner_Sign). That SDK
  // signs only x-sdk-date here (it adds no host and skips Content-Type and underscore headers), so the
  // vectors go through the verifier, which signs what the client listed, as APIG does.
  test('published vectors: Go SDK TestSigner_Sign, accepted by the verifier', () => {
    const goVectors: Array<{ request: HuaweiRequest; authorization: string }> = [
      {
        request: { method: 'GET', url: 'https://example.huaweicloud.com/path?limit=1', headers: {} },
        authorization:
          'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
      },
      {
        // Go's json.Encoder ends the body {Name:"test", Id:1} with a line feed.
        request: {
          method: 'POST',
          url: 'https://example.huaweicloud.com/path?key=value',
          headers: { 'Content-Type': 'application/json' },
          body: '{"Name":"test","Id":1}\n',
        },
        authorization:
          'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59',
      },
    ];
    for (const { request, authorization } of goVectors) {
      const received = {
        ...request,
        headers: { ...request.headers, Host: 'example.huaweicloud.com', 'X-Sdk-Date': '20060102T150405Z', TEST_UNDERSCORE: 'TEST_VALUE', Authorization: authorization },
      };
      const result = verifyHuaweiApig(received, (key) => (key === 'AccessKey' ? 'SecretKey' : undefined), {
        now: parseSdkDate('20060102T150405Z')!,
      });
      assert.deepEqual(result, { ok: true, appKey: 'AccessKey' }, request.method);
    }
  });

  // The APIG signing SDK for Python (the "api-sign-sdk" the seed document points to), its unit tests
  // test_CanonicalRequest and test_SignStringToSign (Huawei, 2024-2025; the repository hosting that
  // file was not identified, so the vector is quoted from the file text).
  test('published vector: APIG signing SDK canonical request and HMAC', () => {
    const canonical = huaweiCanonicalRequest(
      {
        method: 'POST',
        url: 'https://30030113-3657-4fb6-a7ef-90764239b038.apigw.cn-north-1.huaweicloud.com/app1?a=1',
        headers: { 'x-stage': 'RELEASE' },
        body: 'body',
      },
      ['x-stage'],
    );
    assert.equal(canonical, 'POST\n/app1/\na=1\nx-stage:RELEASE\n\nx-stage\n230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5');
    assert.equal(toHex(hmacSha256('abc', 'abc')), '2f02e24ae2e1fe880399f27600afa88364e6062bf9bbe114b32fa8f23d03608a');
    assert.equal(huaweiStringToSign('x', '20240326T030801Z').split('\n').slice(0, 2).join('|'), 'SDK-HMAC-SHA256|20240326T030801Z');
  });

  // Canonical query encoding: huaweicloud-sdk-python-v3 test_process_canonical_query_string and
  // huaweicloud-sdk-go-v3 TestSigner_canonicalQueryString expect the same string.
  test('published vector: canonical query string', () => {
    const query = new URLSearchParams([['limit', '1'], ['enable', 'true'], ['test', '一 (&=?!#%.*)'], ['path', '/tmp/123'], ['multi', '3'], ['multi', '1'], ['multi', '2']])
      .toString()
      .replace(/\+/g, '%20');
    const canonical = huaweiCanonicalRequest({ method: 'GET', url: `https://h.example/?${query}`, headers: {} }, []);
    assert.equal(canonical.split('\n')[2], 'enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29');
  });

  const secrets = (key: string) => (key === 'idphoto-app' ? 'idphoto-secret' : undefined);
  const signedAt = '20250301T080000Z';
  const now = parseSdkDate(signedAt)! + 60_000;
  const photoRequest = (): HuaweiRequest => ({
    method: 'POST',
    url: 'https://idphoto.mock.test:8443/v1/idphoto/make?spec=1&bgColor=blue',
    headers: { 'Content-Type': 'application/json; charset=UTF-8', 'X-Stage': 'RELEASE', 'User-Agent': 'facekit' },
    body: JSON.stringify({ base64: 'AAAA', spec: '1' }),
  });
  const signed = (request: HuaweiRequest): HuaweiRequest => ({
    ...request,
    headers: { ...request.headers, ...signHuaweiApig(request, { appKey: 'idphoto-app', appSecret: 'idphoto-secret' }, { date: signedAt }) },
  });

  test('every header on the request is signed, plus host and x-sdk-date', () => {
    const headers = signHuaweiApig(photoRequest(), { appKey: 'idphoto-app', appSecret: 'idphoto-secret' }, { date: signedAt });
    assert.match(headers['Authorization']!, /SignedHeaders=content-type;host;user-agent;x-sdk-date;x-stage,/);
    assert.equal(headers['host'], 'idphoto.mock.test:8443');
  });

  test('sign → verify round trip', () => {
    assert.deepEqual(verifyHuaweiApig(signed(photoRequest()), secrets, { now }), { ok: true, appKey: 'idphoto-app' });
  });

  test('a changed body, header or path fails with APIG.0303 and the canonical request', () => {
    const good = signed(photoRequest());
    const tampered: HuaweiRequest[] = [
      { ...good, body: JSON.stringify({ base64: 'BBBB', spec: '1' }) },
      { ...good, headers: { ...good.headers, 'X-Stage': 'TEST' } },
      { ...good, headers: { ...good.headers, 'User-Agent': 'other' } },
      { ...good, url: good.url.replace('/make', '/make2') },
      { ...good, url: good.url.replace('spec=1', 'spec=2') },
    ];
    for (const request of tampered) {
      const result = verifyHuaweiApig(request, secrets, { now, requestId: 'r1' });
      assert.equal(result.ok, false);
      if (result.ok) continue;
      assert.equal(result.status, 401);
      assert.equal(result.body.error_code, 'APIG.0303');
      assert.equal(result.body.request_id, 'r1');
      assert.ok(result.body.error_msg.startsWith('Incorrect app authentication information: verify signature fail, canonicalRequest:POST|/v1/idphoto/make'));
      assert.equal(result.body.error_msg.split('canonicalRequest:')[1], result.canonicalRequest!.replace(/\n/g, '|'));
    }
  });

  test('the refusal shows the canonical request as in the APIG FAQ example', () => {
    // support.huaweicloud.com apig-faq-0009: "canonicalRequest:GET|/test/||host:…|x-sdk-date:…||host;x-sdk-date|e3b0c…"
    const request: HuaweiRequest = { method: 'GET', url: 'https://d7da.example.com/test', headers: {} };
    const sent = { ...request, headers: signHuaweiApig(request, { appKey: 'idphoto-app', appSecret: 'wrong' }, { date: '20230527T015431Z' }) };
    const result = verifyHuaweiApig(sent, secrets, { now: parseSdkDate('20230527T015431Z')! });
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(
        result.body.error_msg,
        'Incorrect app authentication information: verify signature fail, canonicalRequest:GET|/test/||host:d7da.example.com|x-sdk-date:20230527T015431Z||host;x-sdk-date|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
    }
  });

  test('expired X-Sdk-Date, unknown app and missing Authorization are refused in APIG wording', () => {
    const good = signed(photoRequest());
    const late = verifyHuaweiApig(good, secrets, { now: parseSdkDate(signedAt)! + 16 * 60_000, requestId: 'r2' });
    assert.deepEqual(late, {
      ok: false,
      status: 401,
      body: {
        error_msg: 'Incorrect app authentication information: signature expired, signature time:20250301T080000Z,server time:20250301T081600Z',
        error_code: 'APIG.0303',
        request_id: 'r2',
      },
    });
    const unknown = verifyHuaweiApig(good, () => undefined, { now });
    assert.ok(!unknown.ok && unknown.body.error_msg === 'Incorrect app authentication information: app not found, appkey idphoto-app');
    const anonymous = verifyHuaweiApig(photoRequest(), secrets, { now });
    assert.ok(!anonymous.ok && anonymous.body.error_msg === 'Incorrect app authentication information: Access or Credential is empty in Authorization');
    assert.ok(!anonymous.ok && /^[0-9a-f]{32}$/.test(anonymous.body.request_id));
  });

  test('a GET body is not hashed, as in the APIG signers', () => {
    const request: HuaweiRequest = { method: 'GET', url: 'https://h.example/x', headers: {} };
    const withBody = { ...request, body: 'ignored' };
    const options = { date: signedAt };
    const credentials = { appKey: 'k', appSecret: 's' };
    assert.deepEqual(signHuaweiApig(withBody, credentials, options), signHuaweiApig(request, credentials, options));
  });

  test('bad X-Sdk-Date and path-only URL without Host are refused when signing', () => {
    assert.throws(() => signHuaweiApig(photoRequest(), { appKey: 'k', appSecret: 's' }, { date: '2025-03-01T08:00:00Z' }), RangeError);
    assert.throws(() => signHuaweiApig({ method: 'GET', url: '/x', headers: {} }, { appKey: 'k', appSecret: 's' }, { date: signedAt }), TypeError);
  });
});

describe('Alibaba Cloud API Gateway HmacSHA256', () => {
  // alibaba/higress, plugins/wasm-cpp/extensions/hmac_auth/plugin_test.cc: requests the plugin
  // (Alibaba's implementation of this gateway signature) accepts with key appKey / secret appSecret.
  const higress = { appKey: 'appKey', appSecret: 'appSecret' };

  test('published vector: GET with three X-Ca headers signed (Higress hmac_auth test Sign)', () => {
    const headers = signAliyunGateway(
      { method: 'GET', url: '/Third/Tools/checkSign', headers: { accept: 'application/json', 'content-type': 'application/json' } },
      higress,
      { timestamp: 1646365291734, nonce: '787dd0c2-7bd8-41cd-9c19-62c05ea524a2' },
    );
    assert.deepEqual(headers, {
      'x-ca-key': 'appKey',
      'x-ca-timestamp': '1646365291734',
      'x-ca-nonce': '787dd0c2-7bd8-41cd-9c19-62c05ea524a2',
      'x-ca-signature-method': 'HmacSHA256',
      'x-ca-signature-headers': 'x-ca-key,x-ca-nonce,x-ca-timestamp',
      'x-ca-signature': 'EdJSFAMOWyXZOpXhevZnjuS0ZafnwnCqaSk5hz+tXo8=',
    });
  });

  test('published vector: form body merged into the parameters (Higress hmac_auth test ParamInBody)', () => {
    const headers = signAliyunGateway(
      {
        method: 'POST',
        url: '/Third/User/getNyAccessToken',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'nickname=nickname&room_id=6893&uuid=uuid&photo=photo',
      },
      higress,
      { timestamp: 1646646682418, nonce: 'ca5a6753-b76c-4fff-a9d9-e5bb643e8cdf' },
    );
    assert.equal(headers['x-ca-signature'], 'gmf9xq0hc95Hmt+7G+OocS009ka3v1v0rvfshKzYc3w=');
    assert.equal(headers['content-md5'], undefined, 'no Content-MD5 for a form body');
  });

  test('published vector: no signed headers at all (Higress hmac_auth test SignWithoutDynamicHeader)', () => {
    const request: AliyunRequest = {
      method: 'GET',
      url: '/Third/Tools/checkSign',
      headers: { accept: 'application/json', 'x-ca-key': 'appKey', 'x-ca-signature': 'ZpJhkHdtjLTJiR6CJWHL8ikLtPB2z6CoztG21wG3PT4=' },
    };
    assert.equal(aliyunStringToSign(request, []), 'GET\napplication/json\n\n\n\n/Third/Tools/checkSign');
    assert.deepEqual(verifyAliyunGateway(request, (key) => (key === 'appKey' ? 'appSecret' : undefined), { now: 0 }), { ok: true, appKey: 'appKey' });
  });

  // Alibaba Cloud's signing document (help.aliyun.com "使用摘要签名认证方式调用API", quoted in
  // alibaba/higress plugins/wasm-cpp/extensions/hmac_auth/README_EN.md) gives this request and its
  // StringToSign but not the AppSecret, so only the StringToSign is checked, character for character.
  test('documented example: StringToSign of a form POST, with query and form sorted together', () => {
    const request: AliyunRequest = {
      method: 'POST',
      url: 'http://api.aliyun.com/http2test/test?param1=test',
      headers: {
        host: 'api.aliyun.com',
        accept: 'application/json; charset=utf-8',
        ca_version: '1',
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'x-ca-timestamp': '1525872629832',
        date: 'Wed, 09 May 2018 13:30:29 GMT+00:00',
        'user-agent': 'ALIYUN-ANDROID-DEMO',
        'x-ca-nonce': 'c9f15cbf-f4ac-4a6c-b54d-f51abf4b5b44',
        'x-ca-signature-method': 'HmacSHA256',
        'content-length': '33',
      },
      body: 'username=xiaoming&password=123456789',
    };
    const added = signAliyunGateway(request, { appKey: '203753385', appSecret: 'not-published' }, {
      timestamp: '1525872629832',
      nonce: 'c9f15cbf-f4ac-4a6c-b54d-f51abf4b5b44',
    });
    assert.equal(added['x-ca-signature-headers'], 'x-ca-key,x-ca-nonce,x-ca-signature-method,x-ca-timestamp');
    const stringToSign = aliyunStringToSign({ ...request, headers: { ...request.headers, ...added } }, added['x-ca-signature-headers']!.split(','));
    assert.equal(
      stringToSign,
      [
        'POST',
        'application/json; charset=utf-8',
        '',
        'application/x-www-form-urlencoded; charset=utf-8',
        'Wed, 09 May 2018 13:30:29 GMT+00:00',
        'x-ca-key:203753385',
        'x-ca-nonce:c9f15cbf-f4ac-4a6c-b54d-f51abf4b5b44',
        'x-ca-signature-method:HmacSHA256',
        'x-ca-timestamp:1525872629832',
        '/http2test/test?param1=test&password=123456789&username=xiaoming',
      ].join('\n'),
    );
    assert.equal(added['x-ca-signature'], toBase64(createHmac('sha256', 'not-published').update(stringToSign).digest()));
  });

  const lowerCase = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const secrets = (key: string) => (key === 'faceid-app' ? 'faceid-secret' : undefined);
  const credentials = { appKey: 'faceid-app', appSecret: 'faceid-secret' };
  const now = 1_750_000_000_000;
  const liveness = (): AliyunRequest => ({
    method: 'POST',
    url: 'https://fid.mock.test/face/v1.2/sdk/get_biz_token',
    headers: { 'Content-Type': 'application/json; charset=UTF-8', Accept: 'application/json', 'X-Ca-Stage': 'RELEASE', 'User-Agent': 'facekit' },
    body: JSON.stringify({ liveness_type: 'meglive', idcard_name: '张三', idcard_number: '110101199003070000' }),
  });
  const signed = (request: AliyunRequest, nonce = 'n-1'): AliyunRequest => ({
    ...request,
    headers: { ...request.headers, ...signAliyunGateway(request, credentials, { timestamp: now, nonce }) },
  });

  test('only X-Ca-* headers are signed: those on the request plus key, timestamp and nonce', () => {
    const headers = signAliyunGateway(liveness(), credentials, { timestamp: now, nonce: 'n-1' });
    assert.equal(headers['x-ca-signature-headers'], 'x-ca-key,x-ca-nonce,x-ca-stage,x-ca-timestamp');
    assert.equal(headers['content-md5'], toBase64(createHash('md5').update(liveness().body as string).digest()));
    const withoutStage = signAliyunGateway({ ...liveness(), headers: { 'Content-Type': 'application/json' } }, credentials, { timestamp: now, nonce: 'n-1' });
    assert.equal(withoutStage['x-ca-signature-headers'], 'x-ca-key,x-ca-nonce,x-ca-timestamp', 'x-ca-signature-method is sent, not signed');
    assert.equal(withoutStage['accept'], 'application/json', 'an absent Accept is pinned, or fetch would send */*');
    const withoutMd5 = signAliyunGateway(liveness(), credentials, { timestamp: now, nonce: 'n-1', contentMd5: false });
    assert.equal(withoutMd5['content-md5'], undefined);
    const stale = { ...liveness(), headers: { ...liveness().headers, 'X-Ca-Signature-Method': 'HmacSHA1' } };
    const restated = signAliyunGateway(stale, credentials, { timestamp: now, nonce: 'n-1' });
    assert.equal(restated['x-ca-signature-headers'], 'x-ca-key,x-ca-nonce,x-ca-signature-method,x-ca-stage,x-ca-timestamp');
    const sent = { ...stale, headers: { ...lowerCase(stale.headers), ...restated } };
    assert.deepEqual(verifyAliyunGateway(sent, secrets, { now }), { ok: true, appKey: 'faceid-app' }, 'the method header is signed as sent');
  });

  test('a header that is not X-Ca-* can change without breaking the signature', () => {
    const request = signed(liveness());
    const changed = { ...request, headers: { ...request.headers, 'User-Agent': 'someone-else', 'X-Forwarded-For': '10.0.0.1' } };
    assert.deepEqual(verifyAliyunGateway(changed, secrets, { now }), { ok: true, appKey: 'faceid-app' });
  });

  test('sign → verify round trip, JSON and form bodies, GET with a query', () => {
    assert.deepEqual(verifyAliyunGateway(signed(liveness()), secrets, { now }), { ok: true, appKey: 'faceid-app' });
    const form: AliyunRequest = { method: 'POST', url: 'https://img.mock.test/face/paas/image/get?x=1', headers: {}, body: { userType: 'PHONE', userId: '13800000000' } };
    const formHeaders = signAliyunGateway(form, credentials, { timestamp: now, nonce: 'n-2' });
    assert.equal(formHeaders['content-type'], 'application/x-www-form-urlencoded; charset=UTF-8');
    const sentForm = { ...form, headers: formHeaders, body: new URLSearchParams(form.body as Record<string, string>).toString() };
    assert.deepEqual(verifyAliyunGateway(sentForm, secrets, { now }), { ok: true, appKey: 'faceid-app' });
    const get: AliyunRequest = { method: 'GET', url: 'https://fid.mock.test/face/v1.2/sdk/get_result?biz_token=t%2B1&verbose=1', headers: {} };
    assert.deepEqual(verifyAliyunGateway(signed(get, 'n-3'), secrets, { now }), { ok: true, appKey: 'faceid-app' });
  });

  test('a changed body, signed header or path is refused with the gateway error text', () => {
    const good = signed(liveness());
    const changedJson = { ...good, body: (good.body as string).replace('张三', '李四') };
    assert.deepEqual(verifyAliyunGateway(changedJson, secrets, { now }), { ok: false, status: 400, errorMessage: 'Invalid Content-MD5' });

    const tampered: AliyunRequest[] = [
      { ...good, headers: { ...good.headers, 'X-Ca-Stage': 'TEST' } },
      { ...good, url: good.url.replace('get_biz_token', 'get_result') },
      { ...good, method: 'PUT' },
    ];
    for (const request of tampered) {
      const result = verifyAliyunGateway(request, secrets, { now });
      assert.equal(result.ok, false);
      if (result.ok) continue;
      assert.equal(result.status, 400);
      assert.ok(result.errorMessage.startsWith('Invalid Signature, Server StringToSign:`'), result.errorMessage);
      assert.equal(result.errorMessage, `Invalid Signature, Server StringToSign:\`${result.stringToSign!.replace(/\n/g, '#')}\``);
    }

    const form: AliyunRequest = { method: 'POST', url: '/face/paas/image/get', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'userType=PHONE&userId=1' };
    const sentForm = { ...form, headers: { ...form.headers, ...signAliyunGateway(form, credentials, { timestamp: now, nonce: 'n-4' }) } };
    const changedForm = verifyAliyunGateway({ ...sentForm, body: 'userType=PHONE&userId=2' }, secrets, { now });
    assert.ok(!changedForm.ok && changedForm.errorMessage.endsWith('#/face/paas/image/get?userId=2&userType=PHONE`'));
  });

  test('expired or malformed timestamps, replayed nonces, unknown keys and missing signatures are refused', () => {
    const good = signed(liveness());
    const sixteenMinutes = 16 * 60 * 1000;
    assert.deepEqual(verifyAliyunGateway(good, secrets, { now: now + sixteenMinutes }), { ok: false, status: 400, errorMessage: 'Timestamp Expired' });
    assert.deepEqual(verifyAliyunGateway(good, secrets, { now: now - sixteenMinutes }), { ok: false, status: 400, errorMessage: 'Timestamp Expired' });
    const badTimestamp = { ...good, headers: { ...good.headers, 'x-ca-timestamp': '2025-01-01' } };
    assert.deepEqual(verifyAliyunGateway(badTimestamp, secrets, { now }), { ok: false, status: 400, errorMessage: 'Invalid Timestamp' });

    let clock = now;
    const useNonce = createMemoryNonceStore(() => clock);
    assert.equal(verifyAliyunGateway(good, secrets, { now, useNonce }).ok, true);
    assert.deepEqual(verifyAliyunGateway(good, secrets, { now, useNonce }), { ok: false, status: 400, errorMessage: 'Nonce Used' });
    assert.equal(verifyAliyunGateway(signed(liveness(), 'n-fresh'), secrets, { now, useNonce }).ok, true);
    const forged = { ...signed(liveness(), 'n-forged'), url: 'https://fid.mock.test/other' };
    assert.equal(verifyAliyunGateway(forged, secrets, { now, useNonce }).ok, false);
    assert.equal(useNonce('aliyun:faceid-app:n-forged', 1000), true, 'a refused signature does not use up its nonce');
    clock += 31 * 60 * 1000;
    assert.equal(useNonce('aliyun:faceid-app:n-1', 1000), true, 'nonces are forgotten after their lifetime');

    assert.deepEqual(verifyAliyunGateway(good, () => undefined, { now }), { ok: false, status: 400, errorMessage: 'Invalid AppKey' });
    const unsigned = { ...good, headers: { ...good.headers, 'x-ca-signature': '' } };
    assert.deepEqual(verifyAliyunGateway(unsigned, secrets, { now }), { ok: false, status: 401, errorMessage: 'Empty Signature' });
    assert.equal(ALIYUN_ERRORS.nonceUsed, 'Nonce Used');
  });

  test('AppCode authentication header and its check', () => {
    assert.deepEqual(aliyunAppCodeHeaders('abc123'), { Authorization: 'APPCODE abc123' });
    const request: AliyunRequest = { method: 'GET', url: '/face/v1.2/sdk/get_result', headers: aliyunAppCodeHeaders('abc123') };
    assert.deepEqual(verifyAliyunGateway(request, secrets, { now, isKnownAppCode: (code) => code === 'abc123' }), { ok: true, appCode: 'abc123' });
    assert.deepEqual(verifyAliyunGateway(request, secrets, { now }), { ok: false, status: 400, errorMessage: 'Invalid AppCode `not exists`' });
  });

  test('a body without Content-Type, or form fields under another type, is refused when signing', () => {
    assert.throws(() => signAliyunGateway({ method: 'POST', url: '/x', headers: {}, body: '{}' }, credentials), TypeError);
    assert.throws(() => signAliyunGateway({ method: 'POST', url: '/x', headers: { 'content-type': 'application/json' }, body: { a: '1' } }, credentials), TypeError);
    assert.match(signAliyunGateway({ method: 'GET', url: '/x', headers: {} }, credentials)['x-ca-nonce']!, /^[0-9a-f-]{36}$/);
  });
});
