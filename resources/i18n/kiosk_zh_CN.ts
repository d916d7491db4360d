<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActivityBanner</name>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="40"/>
        <source>No activity is open</source>
        <translation>当前没有进行中的活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="41"/>
        <source>The coordinator opens one by scanning its activity code.</source>
        <translation>请协调员扫描活动码开启活动。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="44"/>
        <source>%n activities are open</source>
        <translation>
            <numerusform>%n 个活动进行中</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="52"/>
        <source>%1 of %2 on site</source>
        <translation>在岗 %1 / %2 人</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="55"/>
        <source>%1 on site</source>
        <translation>在岗 %1 人</translation>
    </message>
</context>
<context>
    <name>ActivityChoicePanel</name>
    <message>
        <location filename="../../kiosk/ui/screens/kiosk_screen.py" line="73"/>
        <source>%1, which activity are you here for?</source>
        <translation>%1，请选择您要参加的活动</translation>
    </message>
</context>
<context>
    <name>CameraPage</name>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="131"/>
        <source>Looking for cameras…</source>
        <translation>正在查找摄像头…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="132"/>
        <source>Test it: hold any QR code up to the camera.</source>
        <translation>测试一下：把任意二维码对准摄像头。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="133"/>
        <source>QR code read ✓ The camera works.</source>
        <translation>已读到二维码 ✓ 摄像头工作正常。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="135"/>
        <source>Volunteers scan their cards with the USB barcode scanner; plug it in now.</source>
        <translation>志愿者将用 USB 扫码枪扫描志愿者证，请现在插上扫码枪。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="139"/>
        <source>The choice could not be saved: %1</source>
        <translation>无法保存所选摄像头：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="146"/>
        <source>Choose the camera</source>
        <translation>选择摄像头</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="147"/>
        <source>Tap a camera to see its picture. Point it where volunteers will stand.</source>
        <translation>点选摄像头即可看到画面。请把它对准志愿者站立的位置。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="153"/>
        <source>No camera was found. Plug one in and tap Look again, or use a USB barcode scanner.</source>
        <translation>没有找到摄像头。请插上摄像头后点“重新查找”，或改用 USB 扫码枪。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="157"/>
        <source>Look again</source>
        <translation>重新查找</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="158"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="160"/>
        <source>Go on without a camera</source>
        <translation>不用摄像头，继续</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_camera.py" line="162"/>
        <source>Use this camera</source>
        <translation>使用这个摄像头</translation>
    </message>
</context>
<context>
    <name>CameraView</name>
    <message>
        <location filename="../../kiosk/ui/widgets/camera_view.py" line="82"/>
        <source>No camera here.
Volunteers scan their cards with the barcode scanner.</source>
        <translation>本机没有摄像头。
志愿者请用扫码枪扫描志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/camera_view.py" line="84"/>
        <source>Camera not connected, trying again…
You can also use the barcode scanner.</source>
        <translation>摄像头未连接，正在重试…
也可以使用扫码枪签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/camera_view.py" line="86"/>
        <source>The video has ended.
You can use the barcode scanner.</source>
        <translation>视频已播放完毕。
可以使用扫码枪签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/camera_view.py" line="87"/>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
</context>
<context>
    <name>CaptureView</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="113"/>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="114"/>
        <source>Look into the camera.</source>
        <translation>请看向摄像头。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="115"/>
        <source>One person at a time in front of the camera, please.</source>
        <translation>请一次只有一个人在摄像头前。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="116"/>
        <source>Come closer to the camera.</source>
        <translation>请靠近摄像头一些。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="117"/>
        <source>Too dark: more light on the face, please.</source>
        <translation>太暗了：请让脸部光线更亮一些。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="118"/>
        <source>The light is behind you: turn so that it falls on your face.</source>
        <translation>逆光了：请转个方向，让光照在脸上。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="119"/>
        <source>Look straight at the camera, head level.</source>
        <translation>请正视摄像头，头部保持端正。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="120"/>
        <source>Hold still.</source>
        <translation>请保持不动。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="121"/>
        <source>Good. Keep looking at the camera.</source>
        <translation>很好，请继续看着摄像头。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="122"/>
        <source>A different face: starting again with this person.</source>
        <translation>换了一张脸：从这个人重新开始。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="123"/>
        <source>Done. Saving…</source>
        <translation>完成，正在保存…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="124"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="128"/>
        <source>Time is up. Save the %1 good pictures, or try again.</source>
        <translation>时间到了。可以保存这 %1 张合格画面，或重试。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="132"/>
        <source>Time is up: not enough good pictures.</source>
        <translation>时间到了：合格画面不够。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="141"/>
        <source>good pictures (at least %1)</source>
        <translation>张合格画面（至少 %1 张）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="142"/>
        <source>No photo is kept: only numbers computed from the face.</source>
        <translation>不保存照片：只保存由面部计算出的数字。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="145"/>
        <source>Save now (%1)</source>
        <translation>现在保存（%1）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="148"/>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="150"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>CheckInPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="141"/>
        <source>on site</source>
        <translation>在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="143"/>
        <source>inactive</source>
        <translation>已停用</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="216"/>
        <source>Check in (%n)</source>
        <translation>
            <numerusform>签到（%n 人）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="217"/>
        <source>Check out (%n)</source>
        <translation>
            <numerusform>签退（%n 人）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="228"/>
        <source>already on site</source>
        <translation>已在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="229"/>
        <source>not on site</source>
        <translation>不在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="230"/>
        <source>card revoked: ask the platform</source>
        <translation>志愿者证已作废，请联系平台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="231"/>
        <source>not active in the roster</source>
        <translation>名册中已停用</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="232"/>
        <source>the activity is full</source>
        <translation>活动人数已满</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="233"/>
        <source>the activity is not open</source>
        <translation>活动未开启</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="234"/>
        <source>unknown activity</source>
        <translation>未知活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="235"/>
        <source>give a reason</source>
        <translation>请填写原因</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="236"/>
        <source>not saved: the kiosk cannot write its records</source>
        <translation>未保存：签到机无法写入记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="237"/>
        <source>that time is still to come</source>
        <translation>这个时间还没到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="238"/>
        <source>before check-in opened</source>
        <translation>早于签到开始时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="239"/>
        <source>after the activity ended</source>
        <translation>晚于活动结束时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="240"/>
        <source>before they checked in</source>
        <translation>早于其签到时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="248"/>
        <source>%1: done</source>
        <translation>%1：已完成</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="254"/>
        <source>Name, pinyin initials, last phone digits or ID</source>
        <translation>姓名、拼音首字母、手机尾号或编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="255"/>
        <source>Or scan the volunteer&apos;s card. Tick several people to check in a group.</source>
        <translation>也可以扫描志愿者证。勾选多人可集体签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="258"/>
        <source>Pick</source>
        <translation>选择</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="259"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="260"/>
        <source>Volunteer ID</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="261"/>
        <source>Organisation</source>
        <translation>所属组织</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="262"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="265"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="266"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="267"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="195"/>
        <source>Phone battery dead</source>
        <translation>手机没电</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="196"/>
        <source>Forgot the card</source>
        <translation>忘带志愿者证</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="197"/>
        <source>The card does not scan</source>
        <translation>志愿者证无法识别</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="198"/>
        <source>Checked in on paper</source>
        <translation>已在纸质表签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_check_in.py" line="199"/>
        <source>Forgot to check out</source>
        <translation>忘记签退</translation>
    </message>
</context>
<context>
    <name>ConfirmPanel</name>
    <message>
        <location filename="../../kiosk/ui/widgets/confirm_panel.py" line="105"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ConflictView</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_conflict.py" line="108"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_conflict.py" line="113"/>
        <source>This face is already enrolled under another volunteer</source>
        <translation>这张脸已登记在另一位志愿者名下</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_conflict.py" line="116"/>
        <source>The face of %1 is too close to that of %2 (distance %3, under %4): face check-in would take one for the other. Nothing is stored yet.</source>
        <translation>%1 的脸与 %2 的脸太接近（距离 %3，低于 %4）：刷脸签到会把一个人认成另一个人。目前什么都没有保存。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_conflict.py" line="124"/>
        <source>Ask them: is this one person, or two?</source>
        <translation>请问一下：这是同一个人，还是两个人？</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_conflict.py" line="125"/>
        <source>The same person (registered twice)</source>
        <translation>同一个人（登记了两次）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_conflict.py" line="128"/>
        <source>No face data is kept; %1 checks in with the QR code. Ask the platform to merge the two accounts.</source>
        <translation>不保存人脸数据，%1 用二维码签到。请平台合并这两个账号。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_conflict.py" line="132"/>
        <source>Two different people the camera cannot tell apart</source>
        <translation>不同的人，模型分不清</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_conflict.py" line="135"/>
        <source>%1 checks in by QR code only: the face data is stored, encrypted, only so that %1 is never taken for %2, who must face the camera straight and hold still.</source>
        <translation>%1 只用二维码签到：人脸数据加密保存，只用来避免把 %1 认成 %2；%2 刷脸时要正对镜头、站稳不动。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_conflict.py" line="141"/>
        <source>Cancel: store nothing, record nothing</source>
        <translation>取消：不保存，也不记录</translation>
    </message>
</context>
<context>
    <name>ConsentView</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_consent.py" line="150"/>
        <source>Hand the screen to %1: they read the notice and answer themselves.</source>
        <translation>请把屏幕交给 %1：由本人阅读告知并作答。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_consent.py" line="155"/>
        <source>%1 agreed. %2: confirm that they read the notice and agreed of their own will.</source>
        <translation>%1 已同意。%2：请确认本人已阅读告知并自愿同意。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_consent.py" line="159"/>
        <source>Confirm and record</source>
        <translation>确认并记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_consent.py" line="160"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>CoordinatorMenu</name>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="246"/>
        <source>Closed</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="310"/>
        <source>Coordinator</source>
        <translation>协调员</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="231"/>
        <source>check-in %1–%2</source>
        <translation>签到 %1–%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="177"/>
        <source>Check-in at this activity closes, and everyone still on site (%n) is checked out.</source>
        <translation>
            <numerusform>此活动的签到将关闭，仍在场的 %n 人将被签退。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="182"/>
        <source>Check-in at this activity closes; nobody is on site.</source>
        <translation>此活动的签到将关闭；目前无人在场。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="186"/>
        <source>End “%1”?</source>
        <translation>结束“%1”？</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="188"/>
        <source>End activity</source>
        <translation>结束活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="194"/>
        <source>Exit the kiosk program?</source>
        <translation>退出签到程序？</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="195"/>
        <source>Volunteers cannot check in until the program is started again.</source>
        <translation>程序重新启动之前，志愿者无法签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="196"/>
        <source>Exit the program</source>
        <translation>退出程序</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="202"/>
        <source>Set up this kiosk again?</source>
        <translation>重新设置本机？</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="203"/>
        <source>The check-in screen closes and the setup opens at the connection step.</source>
        <translation>签到屏幕将关闭，设置向导从“连接平台”一步开始。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="204"/>
        <source>Set up again</source>
        <translation>重新设置</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="234"/>
        <source>%1 of %2 on site</source>
        <translation>在场 %1 / %2 人</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="237"/>
        <source>%1 on site</source>
        <translation>在场 %1 人</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="239"/>
        <source>%1 signed up</source>
        <translation>已报名 %1 人</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="244"/>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="245"/>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="281"/>
        <source>End activity…</source>
        <translation>结束活动…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="285"/>
        <source>Open check-in</source>
        <translation>开始签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="313"/>
        <source>Open check-in for an activity (or scan its activity code at the kiosk); end it when it is over.</source>
        <translation>为活动开始签到（也可在签到机上扫描活动码）；活动结束后点“结束活动…”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="321"/>
        <source>This kiosk:</source>
        <translation>本机：</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="322"/>
        <source>Set up this kiosk again…</source>
        <translation>重新设置本机…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="323"/>
        <source>Exit the kiosk program…</source>
        <translation>退出签到程序…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="317"/>
        <source>Back to the kiosk</source>
        <translation>返回签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="318"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="319"/>
        <source>USB stick</source>
        <translation>U 盘</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="320"/>
        <source>Self-test</source>
        <translation>自检</translation>
    </message>
</context>
<context>
    <name>CoordinatorPage</name>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="164"/>
        <source>Type the coordinator&apos;s name.</source>
        <translation>请输入协调员的姓名。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="166"/>
        <source>The PIN must be 6 to 8 digits.</source>
        <translation>密码须为 6 到 8 位数字。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="170"/>
        <source>The two PINs differ. Type the PIN again in the second field.</source>
        <translation>两次输入的密码不一致，请在第二栏重新输入。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="176"/>
        <source>The first coordinator</source>
        <translation>第一位协调员</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="179"/>
        <source>The coordinator&apos;s PIN opens the coordinator desk and is the only way to close the kiosk. Choose 6 to 8 digits that volunteers do not know. More coordinators can be added later.</source>
        <translation>协调员密码用于进入协调员工作台，也是关闭签到机的唯一方式。请设置 6 到 8 位志愿者不知道的数字。以后还可以添加更多协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="186"/>
        <source>Coordinators on this kiosk already: %1</source>
        <translation>本签到机已有的协调员：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="191"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="192"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="193"/>
        <source>PIN again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="194"/>
        <source>e.g. Wang Fang</source>
        <translation>例如：王芳</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="195"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="196"/>
        <source>Keep them and go on</source>
        <translation>保留现有协调员，继续</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_coordinator.py" line="197"/>
        <source>Add the coordinator</source>
        <translation>添加协调员</translation>
    </message>
</context>
<context>
    <name>DateStepper</name>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="244"/>
        <source>Previous day</source>
        <translation>前一天</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="245"/>
        <source>Next day</source>
        <translation>后一天</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="246"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="248"/>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="249"/>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="250"/>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="251"/>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="252"/>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="253"/>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="254"/>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
</context>
<context>
    <name>DeskController</name>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="224"/>
        <source>Closed by the coordinator</source>
        <translation>协调员结束活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_files.py" line="135"/>
        <source>Volunteer service hours %1</source>
        <translation>志愿服务时长 %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_files.py" line="168"/>
        <source>Saved to the USB stick: %1</source>
        <translation>已保存到 U 盘：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_files.py" line="171"/>
        <source>Saved on this computer (no USB stick found): %1</source>
        <translation>已保存在本机（未找到 U 盘）：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_files.py" line="178"/>
        <source>The file could not be saved on the USB stick: it may be full or locked.</source>
        <translation>无法保存到 U 盘：U 盘可能已满或处于写保护状态。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_files.py" line="181"/>
        <source>The file could not be saved on this computer: its disk may be full.</source>
        <translation>无法保存在本机：磁盘可能已满。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="395"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="401"/>
        <source>Give a reason first.</source>
        <translation>请先填写原因。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="402"/>
        <source>That time is still to come.</source>
        <translation>这个时间还没到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="403"/>
        <source>The check-out is before the check-in.</source>
        <translation>签退时间早于签到时间。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="404"/>
        <source>The kiosk closed this visit earlier than that time.</source>
        <translation>签到机在这个时间之前已自动结束这次服务。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="405"/>
        <source>That is before check-in opened.</source>
        <translation>这个时间签到尚未开始。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="406"/>
        <source>That is after the activity ended.</source>
        <translation>这个时间活动已经结束。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="408"/>
        <source>The volunteer has a later visit at this activity: correct that one first.</source>
        <translation>该志愿者在此活动中还有更晚的一次服务，请先更正那一次。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="410"/>
        <source>Enter when the volunteer checked in.</source>
        <translation>请填写该志愿者的签到时间。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="411"/>
        <source>This visit has changed meanwhile; look again.</source>
        <translation>这次服务记录已有变化，请重新查看。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="412"/>
        <source>Not saved: the kiosk cannot write its records.</source>
        <translation>未保存：签到机无法写入记录。</translation>
    </message>
</context>
<context>
    <name>DeskScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="114"/>
        <source>Coordinator desk</source>
        <translation>协调员工作台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="116"/>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="118"/>
        <source>Activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="119"/>
        <source>Check in / out</source>
        <translation>签到 / 签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="120"/>
        <source>Who is here</source>
        <translation>在场人员</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="121"/>
        <source>To review (%1)</source>
        <translation>待复核（%1）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="122"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="123"/>
        <source>Face</source>
        <translation>刷脸</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="124"/>
        <source>Receipts</source>
        <translation>核对凭证</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="115"/>
        <source>Ready ✓</source>
        <translation>准备就绪 ✓</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="117"/>
        <source>The kiosk is set up. Check the summary, then start the kiosk screen for volunteers.</source>
        <translation>签到机已设置好。请核对以下内容，然后启动志愿者签到界面。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="124"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="119"/>
        <source>Start the kiosk</source>
        <translation>启动签到机</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="106"/>
        <source>Not ready for volunteers&apos; cards yet</source>
        <translation>尚不能核验志愿者证</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="109"/>
        <source>Everything else is set up. Connect the kiosk to the platform so that it can check cards.</source>
        <translation>其他设置已完成。请将签到机连接平台，以便核验志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="112"/>
        <source>Start anyway</source>
        <translation>仍然启动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="113"/>
        <source>Connect to the platform</source>
        <translation>连接平台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="129"/>
        <source>(on the USB stick: keep the stick in while the kiosk runs)</source>
        <translation>（在 U 盘上：签到机运行期间请勿拔出 U 盘）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="131"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="132"/>
        <source>Connection</source>
        <translation>平台连接</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="133"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="134"/>
        <source>Coordinators</source>
        <translation>协调员</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="135"/>
        <source>Records folder</source>
        <translation>记录文件夹</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="136"/>
        <source>Kiosk ID</source>
        <translation>签到机编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_done.py" line="148"/>
        <source>This kiosk cannot check volunteers&apos; cards yet: it is not connected to the platform. Connect it later: ⚙ Coordinator → Set up this kiosk.</source>
        <translation>这台签到机尚未连接平台，暂时无法核验志愿者证。以后可在“⚙ 协调员 → 设置本签到机”中连接。</translation>
    </message>
</context>
<context>
    <name>FaceDeskController</name>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="244"/>
        <source>Nothing was recorded. %1 keeps using the QR card.</source>
        <translation>未记录任何信息。%1 继续使用二维码签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="267"/>
        <source>Consent recorded. Enrol the face at a kiosk with a camera.</source>
        <translation>已记录同意。请在有摄像头的签到机上录入人脸。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="273"/>
        <source>Consent not recorded: the kiosk cannot write its records.</source>
        <translation>未记录同意：签到机无法写入记录。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="339"/>
        <source>Cancelled: no face template was stored.</source>
        <translation>已取消：未保存人脸模板。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="384"/>
        <source>Enrolled: the face templates are stored, encrypted. No photo was kept.</source>
        <translation>已录入：人脸模板已加密保存，未保存任何照片。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="387"/>
        <source>Their face is close to another volunteer&apos;s: at the kiosk, face the camera straight and hold still.</source>
        <translation>此人与另一位志愿者长得较像：刷脸签到时请正对镜头、站稳不动。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="394"/>
        <source>Not enrolled: no consent is recorded for this volunteer.</source>
        <translation>未录入：该志愿者没有已记录的同意。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="395"/>
        <source>Not enrolled: too few good pictures. Try again.</source>
        <translation>未录入：合格画面太少，请重试。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="397"/>
        <source>Not enrolled: the kiosk cannot write its records. Nothing was stored.</source>
        <translation>未录入：签到机无法写入记录，未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="400"/>
        <source>Not enrolled: the stored face templates cannot be read, so the new face cannot be checked against them.</source>
        <translation>未录入：已保存的人脸模板无法读取，无法与新的人脸比对。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="404"/>
        <source>Not enrolled.</source>
        <translation>未录入。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="425"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="435"/>
        <source>Recorded: %1 is the same person as %2. No face data is kept; they check in with the QR code. Ask the platform to merge the two accounts.</source>
        <translation>已记录：%1 与 %2 是同一个人。不保存人脸数据，请用二维码签到。请平台合并这两个账号。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="456"/>
        <source>Recorded: %1 checks in by QR code only. Their face templates are stored, encrypted, so that they are never taken for %2.</source>
        <translation>已记录：%1 只用二维码签到。其人脸模板已加密保存，只用来避免被认成 %2。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="474"/>
        <source>Cancelled: nothing was stored or recorded.</source>
        <translation>已取消：没有保存或记录任何内容。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="489"/>
        <source>Not recorded: the kiosk cannot write its records. Nothing was stored.</source>
        <translation>未记录：签到机无法写入记录。没有保存任何内容。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/desk_face_controller.py" line="505"/>
        <source>Deleted %n templates; other kiosks delete them at the next sync.</source>
        <translation>
            <numerusform>已删除 %n 个模板；其他签到机将在下次同步时删除。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="507"/>
        <source>Consent withdrawn. There were no templates to delete.</source>
        <translation>已撤回同意。没有需要删除的模板。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="512"/>
        <source>Not deleted: the kiosk cannot write its records. Try again.</source>
        <translation>未删除：签到机无法写入记录，请重试。</translation>
    </message>
</context>
<context>
    <name>FacePage</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="263"/>
        <source>Delete all face data of %1? Their consent is marked withdrawn.</source>
        <translation>删除 %1 的全部人脸数据？其同意将标记为已撤回。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="298"/>
        <source>consent only</source>
        <translation>仅同意</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="299"/>
        <source>enrolled</source>
        <translation>已录入</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="300"/>
        <source>deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="301"/>
        <source>QR code only</source>
        <translation>仅二维码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="319"/>
        <source>Find the volunteer on the left, or scan their card.</source>
        <translation>在左侧查找志愿者，或扫描其志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="325"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="327"/>
        <source>QR code only: the same person as %1, registered twice.</source>
        <translation>仅二维码：与 %1 是同一个人，登记了两次。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="329"/>
        <source>QR code only: the camera cannot tell them apart from %1.</source>
        <translation>仅二维码：模型分不清此人与 %1。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="331"/>
        <source>Decided %1 by %2.</source>
        <translation>%2 于 %1 决定。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="343"/>
        <source>No face data. This volunteer checks in with the QR card.</source>
        <translation>没有人脸数据。该志愿者使用二维码签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="346"/>
        <source>Consent recorded %1 by %2 (notice %3).</source>
        <translation>%1 由 %2 记录同意（告知版本 %3）。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="352"/>
        <source>Consent withdrawn %1: no face data is kept.</source>
        <translation>%1 已撤回同意：不保留任何人脸数据。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="356"/>
        <source>No face templates yet.</source>
        <translation>尚无人脸模板。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_face.py" line="357"/>
        <source>Enrolled %1 with %n templates.</source>
        <translation>
            <numerusform>%1 已录入，共 %n 个模板。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="363"/>
        <source>Name, pinyin initials, last phone digits or ID</source>
        <translation>姓名、拼音首字母、手机尾号或编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="364"/>
        <source>Or scan the volunteer&apos;s card.</source>
        <translation>也可以扫描志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="365"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="365"/>
        <source>Volunteer ID</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="365"/>
        <source>Face</source>
        <translation>人脸</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="371"/>
        <source>Enrol again…</source>
        <translation>重新录入…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="371"/>
        <source>Enrol face…</source>
        <translation>录入人脸…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="373"/>
        <source>The QR card always works: face check-in is only offered, never required.</source>
        <translation>二维码志愿者证始终可用：刷脸签到只是可选项，从不强制。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="377"/>
        <source>Record consent…</source>
        <translation>记录同意…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="380"/>
        <source>No camera for faces here: consent and deletion work, but faces are enrolled at a kiosk with a camera.</source>
        <translation>本机没有可用于人脸的摄像头：可以记录同意和删除人脸数据，人脸需在有摄像头的签到机上录入。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="385"/>
        <source>Delete face data…</source>
        <translation>删除人脸数据…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="386"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="387"/>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
</context>
<context>
    <name>FacePreview</name>
    <message>
        <location filename="../../kiosk/ui/widgets/face_preview.py" line="66"/>
        <source>Waiting for the camera…</source>
        <translation>正在等待摄像头…</translation>
    </message>
</context>
<context>
    <name>FacePrompt</name>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="109"/>
        <source>Please come a little closer</source>
        <translation>请靠近一点</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="110"/>
        <source>Too dark: please face the light</source>
        <translation>光线太暗，请面向光源</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="111"/>
        <source>Too much light behind you: please turn from the window</source>
        <translation>背光，请避开身后的强光</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="114"/>
        <source>Please look at the screen</source>
        <translation>请看屏幕</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="115"/>
        <source>Please hold still</source>
        <translation>请保持不动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="116"/>
        <source>One person at a time, please</source>
        <translation>请一位一位来</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="117"/>
        <source>Checking your face…</source>
        <translation>正在识别…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="118"/>
        <source>Please turn your head to your left</source>
        <translation>请向左转头</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="119"/>
        <source>Please turn your head to your right</source>
        <translation>请向右转头</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="120"/>
        <source>Now look at the screen again</source>
        <translation>请再看屏幕</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="121"/>
        <source>Please use your QR code to check in</source>
        <translation>请使用二维码签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="122"/>
        <source>Face not recognised: please use your QR code</source>
        <translation>未能识别，请使用二维码签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="125"/>
        <source>Could not confirm it is you: please use your QR code</source>
        <translation>无法确认是本人，请使用二维码签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="136"/>
        <source>Hold your volunteer card&apos;s QR code up to the camera, or use the scanner.</source>
        <translation>请将志愿者证二维码对准摄像头，或使用扫码枪。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="140"/>
        <source>Slowly, until the bar on the picture is full.</source>
        <translation>慢慢转头，直到画面上的进度条走满。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="142"/>
        <source>About half a metre from the screen is best.</source>
        <translation>离屏幕约半米最合适。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="150"/>
        <source>Or show your QR code</source>
        <translation>或出示您的二维码</translation>
    </message>
</context>
<context>
    <name>IdlePanel</name>
    <message>
        <location filename="../../kiosk/ui/widgets/idle_panel.py" line="115"/>
        <source>Scan your volunteer card with the barcode scanner</source>
        <translation>请用扫码枪扫描志愿者证</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/idle_panel.py" line="117"/>
        <source>No scanner here? Please ask the coordinator.</source>
        <translation>没有扫码枪？请找协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/idle_panel.py" line="119"/>
        <source>The camera is not working. No scanner here? Please ask the coordinator.</source>
        <translation>摄像头无法使用。没有扫码枪？请找协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/idle_panel.py" line="125"/>
        <source>Look at the camera, or show your volunteer QR code</source>
        <translation>请看摄像头，或出示志愿者二维码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/idle_panel.py" line="129"/>
        <source>Hold your volunteer QR code up to the camera</source>
        <translation>请将志愿者二维码对准摄像头</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/idle_panel.py" line="139"/>
        <source>Scan once to check in, again when you leave to check out. A barcode scanner works too.</source>
        <translation>到达时扫码签到，离开时再扫码签退。也可以使用扫码枪。</translation>
    </message>
</context>
<context>
    <name>KioskScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/kiosk_screen.py" line="155"/>
        <source>Coordinator</source>
        <translation>协调员</translation>
    </message>
</context>
<context>
    <name>KioskStatusBar</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="89"/>
        <source>%n record(s) waiting to sync</source>
        <extracomment>How many problems the self-test line names before it says &quot;and N more&quot;.</extracomment>
        <translation>
            <numerusform>%n 条记录待同步</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="91"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="93"/>
        <source>Cannot reach the cloud, will retry</source>
        <translation>连不上平台，稍后重试</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="95"/>
        <source>Synced at %1</source>
        <translation>已于 %1 同步</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="97"/>
        <source>Connecting to the cloud</source>
        <translation>正在连接平台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="100"/>
        <source>Camera on</source>
        <translation>摄像头正常</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="101"/>
        <source>Camera starting</source>
        <translation>摄像头启动中</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="102"/>
        <source>Camera not connected</source>
        <translation>摄像头未连接</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="103"/>
        <source>Camera reconnecting</source>
        <translation>摄像头重连中</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="104"/>
        <source>Video ended</source>
        <translation>视频已结束</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="108"/>
        <source>No camera: barcode scanner</source>
        <translation>无摄像头：使用扫码枪</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="110"/>
        <source>Kiosk %1</source>
        <translation>签到机 %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="119"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="121"/>
        <source> and %n more</source>
        <translation>
            <numerusform>等 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="123"/>
        <source>Self-test: %1</source>
        <translation>自检：%1</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="359"/>
        <source>Volunteer kiosk</source>
        <translation>志愿服务签到机</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="296"/>
        <source>The PIN could not be checked: the kiosk cannot write its records.</source>
        <translation>无法核对密码：签到机无法写入记录。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/main_window.py" line="302"/>
        <source>Wrong PIN. %n tries left.</source>
        <translation>
            <numerusform>密码错误，还可尝试 %n 次。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <location filename="../../kiosk/ui/setup/page_language.py" line="60"/>
        <source>Welcome! Let&apos;s set up this check-in kiosk</source>
        <translation>欢迎！现在来设置这台签到机</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_language.py" line="63"/>
        <source>A few short steps: the language, the connection to the platform, the camera and the coordinator&apos;s PIN; then the kiosk is ready. Choose the language the kiosk speaks (the button at the top switches it on every page).</source>
        <translation>只需几步：语言、连接平台、摄像头和协调员密码，之后签到机即可使用。请选择签到机使用的语言（每一页顶部的按钮都可以切换语言）。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_language.py" line="68"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>LeaveQuestionPanel</name>
    <message>
        <location filename="../../kiosk/ui/widgets/leave_question.py" line="67"/>
        <source>%1, you did not check out on %2 (%3).</source>
        <translation>%1，您 %2 参加“%3”时没有签退。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/leave_question.py" line="72"/>
        <source>When did you leave? Your coordinator will check it.</source>
        <translation>您是几点离开的？协调员会核对。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/leave_question.py" line="73"/>
        <source>I don&apos;t remember</source>
        <translation>记不清了</translation>
    </message>
</context>
<context>
    <name>OnSitePage</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="219"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="226"/>
        <source>Signed up, not here: %1</source>
        <translation>已报名未到场：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="218"/>
        <source>%1 min</source>
        <translation>%1 分</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="253"/>
        <source>%n on site</source>
        <translation>
            <numerusform>在场 %n 人</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="258"/>
        <source>%n not accounted for yet</source>
        <translation>
            <numerusform>还有 %n 人未确认</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="261"/>
        <source>Everyone is accounted for (%n)</source>
        <translation>
            <numerusform>全部 %n 人已确认</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="264"/>
        <source>No one is on site</source>
        <translation>无人在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="277"/>
        <source>Here</source>
        <translation>在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="278"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="279"/>
        <source>Phone (last 4)</source>
        <translation>手机尾号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="280"/>
        <source>Volunteer ID</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="281"/>
        <source>Checked in</source>
        <translation>签到时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="282"/>
        <source>On site</source>
        <translation>在场时长</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="292"/>
        <source>End roll-call</source>
        <translation>结束点名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="292"/>
        <source>Roll-call</source>
        <translation>紧急点名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="293"/>
        <source>Save roll-call PDF</source>
        <translation>保存点名表 PDF</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="294"/>
        <source>Print</source>
        <translation>打印</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="170"/>
        <source>%1 left</source>
        <translation>还剩 %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="172"/>
        <source>Too many wrong PINs. The keys are locked until %1.</source>
        <translation>密码错误次数过多，键盘锁定至 %1。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="195"/>
        <source>Roll-call: enter a coordinator PIN</source>
        <translation>紧急点名：请输入协调员密码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="197"/>
        <source>Coordinator PIN</source>
        <translation>协调员密码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="198"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="199"/>
        <source>Delete the last digit</source>
        <translation>删除最后一位</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="200"/>
        <source>Back to the kiosk</source>
        <translation>返回签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="201"/>
        <source>Roll-call</source>
        <translation>紧急点名</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="93"/>
        <source>Evacuation roll call</source>
        <translation>紧急疏散点名表</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="95"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="96"/>
        <location filename="../../kiosk/ui/printing.py" line="106"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="97"/>
        <location filename="../../kiosk/ui/printing.py" line="107"/>
        <source>Volunteer ID</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="98"/>
        <source>Phone (last digits)</source>
        <translation>手机尾号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="100"/>
        <source>Accounted for</source>
        <translation>已清点</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="105"/>
        <source>Service date</source>
        <translation>服务日期</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="108"/>
        <source>Activity</source>
        <translation>活动名称</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="99"/>
        <location filename="../../kiosk/ui/printing.py" line="109"/>
        <source>Check-in time</source>
        <translation>签到时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="110"/>
        <source>Check-out time</source>
        <translation>签退时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="111"/>
        <source>Why it needs review</source>
        <translation>待复核原因</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="228"/>
        <source>By volunteer</source>
        <translation>按志愿者</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="229"/>
        <source>By service category</source>
        <translation>按服务类别</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="230"/>
        <source>By organisation</source>
        <translation>按组织</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="258"/>
        <source>Visits to review</source>
        <translation>待复核记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="291"/>
        <source>Nobody is on site</source>
        <translation>当前无人在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="295"/>
        <source>Activity: %1</source>
        <translation>活动：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="296"/>
        <source>Venue: %1</source>
        <translation>地点：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="299"/>
        <source>Made at: %1</source>
        <translation>生成时间：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="305"/>
        <source>On site: %1</source>
        <translation>在场人数：%1 人</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="307"/>
        <source>Counted by: ________________    Finished at: ________________    Present: ______</source>
        <translation>清点人：________________&#x3000;&#x3000;清点完成时间：________________&#x3000;&#x3000;实到：______ 人</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printing.py" line="387"/>
        <source>Page %1 of %2</source>
        <translation>第 %1 页 / 共 %2 页</translation>
    </message>
</context>
<context>
    <name>ProvisioningPage</name>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="192"/>
        <source>Connect to the platform</source>
        <translation>连接平台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="195"/>
        <source>Show the kiosk&apos;s setup QR code from the platform to the camera, or scan it with the USB barcode scanner.</source>
        <translation>请把平台提供的签到机设置二维码对准摄像头，或用 USB 扫码枪扫描。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="199"/>
        <source>No network here? The platform&apos;s provisioning file works too:</source>
        <translation>这里没有网络？也可以使用平台提供的接入文件：</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="208"/>
        <source>Use the provisioning file on the USB stick</source>
        <translation>使用 U 盘上的接入文件</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="209"/>
        <source>Choose a provisioning file…</source>
        <translation>选择接入文件…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="210"/>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="211"/>
        <source>Offline for now</source>
        <translation>暂不连接</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="214"/>
        <source>Without a connection to the platform the kiosk knows no signing key, so it cannot check volunteers&apos; cards yet: every card would be refused.</source>
        <translation>不连接平台，签到机就没有平台的签名密钥，暂时无法核验志愿者证：所有志愿者证都会被拒绝。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="220"/>
        <source>You can connect it later: ⚙ Coordinator → Set up this kiosk, or start it with &apos;kiosk setup&apos;. To try the kiosk out now, install the demo data: demo volunteers, activities and cards (coordinator PIN 123456).</source>
        <translation>以后可以再连接：⚙ 协调员 → 设置本签到机，或用“kiosk setup”启动。想先试用，可以安装演示数据：演示志愿者、活动和志愿者证（协调员密码 123456）。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="225"/>
        <source>Continue without connecting</source>
        <translation>不连接，继续</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="226"/>
        <source>Install demo data to try it out</source>
        <translation>安装演示数据试用</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="227"/>
        <source>Back to the ways to connect</source>
        <translation>返回连接方式</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="228"/>
        <source>Connected ✓</source>
        <translation>已连接 ✓</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="231"/>
        <source>The kiosk trusts the platform&apos;s signing keys now, so it can check volunteers&apos; cards.</source>
        <translation>签到机已获得平台的签名密钥，可以核验志愿者证了。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="233"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/page_provisioning.py" line="234"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>ReceiptCheckPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="143"/>
        <source>✘ This is not a service receipt</source>
        <translation>✘ 这不是服务凭证</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="145"/>
        <source>This receipt is of a newer kind than this kiosk can read</source>
        <translation>这是新版本的凭证，本机无法读取</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="146"/>
        <source>✘ The receipt is damaged and cannot be read</source>
        <translation>✘ 凭证已损坏，无法读取</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="148"/>
        <source>✔ Valid: this kiosk issued this receipt</source>
        <translation>✔ 凭证有效：由本机签发</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="149"/>
        <source>✘ Not valid: this receipt was altered or forged</source>
        <translation>✘ 凭证无效：已被改动或伪造</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="151"/>
        <source>A receipt of another kiosk: please check it on the platform</source>
        <translation>另一台签到机的凭证，请到平台核对</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="154"/>
        <source>This kiosk has no device key to check it: please check it on the platform</source>
        <translation>本机没有设备密钥，无法核对，请到平台核对</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="162"/>
        <source>Update this kiosk, or check the receipt on the platform.</source>
        <translation>请更新签到机，或到平台核对这张凭证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="163"/>
        <source>Scan the receipt&apos;s QR code on the volunteer&apos;s phone again, or paste its text.</source>
        <translation>请重新扫描志愿者手机上的凭证二维码，或粘贴凭证文字。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="167"/>
        <source>It names this kiosk, but its signature does not match: the visit on it is not proof.</source>
        <translation>凭证上写的是本机，但签名不符：上面的服务记录不能作为证明。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="169"/>
        <source>Do not record hours from it.</source>
        <translation>请勿据此记录服务时长。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="173"/>
        <source>Kiosk: %1</source>
        <translation>签到机：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="175"/>
        <source>Its page on the platform (the phone opens it from the QR code too):</source>
        <translation>它在平台上的核对页面（用手机扫凭证二维码也能打开）：</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="177"/>
        <source>This kiosk knows no platform address: open the receipt on the phone.</source>
        <translation>本机未设置平台地址：请在手机上打开这张凭证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="187"/>
        <source>Volunteer: %1</source>
        <translation>志愿者：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="188"/>
        <source>Activity: %1</source>
        <translation>活动：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="189"/>
        <source>Checked in %1, checked out %2</source>
        <translation>签到 %1，签退 %2</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="192"/>
        <source>Service credited: %1</source>
        <translation>计入服务时长：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="200"/>
        <source>This kiosk no longer holds this visit (its records were reset or restored).</source>
        <translation>本机已没有这次服务的记录（数据曾被重置或恢复）。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="201"/>
        <source>Check the platform: the receipt is proof the visit was recorded here.</source>
        <translation>请到平台核对：这张凭证证明本机曾记录这次服务。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="204"/>
        <source>This kiosk&apos;s records differ from the receipt: please check on the platform.</source>
        <translation>本机的记录与凭证不一致，请到平台核对。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="207"/>
        <source>The check-out was undone afterwards at this kiosk.</source>
        <translation>这次签退后来在本机被撤销了。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="209"/>
        <source>The check-in was undone afterwards at this kiosk.</source>
        <translation>这次签到后来在本机被撤销了。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="211"/>
        <source>This kiosk holds the check-in and the check-out.</source>
        <translation>本机保存着这次签到和签退记录。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="217"/>
        <source>The platform refused these records: please check on the platform.</source>
        <translation>平台拒收了这些记录，请到平台核对。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="219"/>
        <source>Both have reached the platform.</source>
        <translation>两条记录都已送达平台。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="220"/>
        <source>Not on the platform yet: they go with the kiosk&apos;s next sync.</source>
        <translation>尚未送达平台：签到机下次同步时送达。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="226"/>
        <source>Check a service receipt</source>
        <translation>核对服务凭证</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="229"/>
        <source>Scan the receipt&apos;s QR code on the volunteer&apos;s phone with the scanner or the camera, or paste its text here.</source>
        <translation>用扫码枪或摄像头扫描志愿者手机上的凭证二维码，或把凭证文字粘贴到这里。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="233"/>
        <source>Receipt (VR1:… or its web address)</source>
        <translation>服务凭证（VR1:… 或它的网址）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="234"/>
        <source>Check</source>
        <translation>核对</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_receipt.py" line="235"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
</context>
<context>
    <name>ReceiptPanel</name>
    <message>
        <location filename="../../kiosk/ui/widgets/receipt_qr.py" line="141"/>
        <source>Scan with your phone to keep a receipt of this visit</source>
        <translation>用手机扫一扫，保存本次服务凭证</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="46"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="48"/>
        <source>%1 person(s)</source>
        <translation>%1 人</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="50"/>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="52"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="54"/>
        <source>Volunteer service hours report</source>
        <translation>志愿服务时长报表</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="57"/>
        <source>Volunteer ID</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="58"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="59"/>
        <source>Organisation</source>
        <translation>所属组织</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="61"/>
        <source>Visits</source>
        <translation>签到次数</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="63"/>
        <source>Volunteers</source>
        <translation>志愿者人数</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="65"/>
        <source>Service hours</source>
        <translation>服务时长（小时）</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="67"/>
        <source>To review</source>
        <translation>待复核次数</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="76"/>
        <source>Service category</source>
        <translation>服务类别</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="77"/>
        <source>Organisation name</source>
        <translation>组织</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="80"/>
        <source>Report period</source>
        <translation>报表期间</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="81"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="82"/>
        <source>All activities</source>
        <translation>全部活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="88"/>
        <source>Service date</source>
        <translation>服务日期</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="92"/>
        <source>Activity ID</source>
        <translation>活动编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="93"/>
        <source>Activity title</source>
        <translation>活动名称</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="95"/>
        <source>Check-in time</source>
        <translation>签到时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="96"/>
        <source>Check-out time</source>
        <translation>签退时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="97"/>
        <source>Credited minutes</source>
        <translation>计入时长（分钟）</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="99"/>
        <source>Why it needs review</source>
        <translation>待复核原因</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="102"/>
        <source>On site (not checked out)</source>
        <translation>在场（未签退）</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="105"/>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="106"/>
        <source>By volunteer</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="107"/>
        <source>By service category</source>
        <translation>服务类别</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="108"/>
        <source>By organisation</source>
        <translation>组织</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="109"/>
        <source>All visits</source>
        <translation>签到记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="112"/>
        <source>Not checked out, closed automatically</source>
        <translation>未签退，已自动签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="113"/>
        <source>Device clock jumped</source>
        <translation>设备时钟跳变</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="114"/>
        <source>Check-out before check-in</source>
        <translation>签退早于签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="115"/>
        <source>Longer than one visit may count</source>
        <translation>超过单次时长上限</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="116"/>
        <source>Checked in again without checking out</source>
        <translation>重复签到，前次未签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="122"/>
        <source>(not in the roster)</source>
        <translation>（未登记）</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="124"/>
        <source>(no organisation)</source>
        <translation>（无所属组织）</translation>
    </message>
    <message>
        <location filename="../../kiosk/services/report_words.py" line="126"/>
        <source>(unknown category)</source>
        <translation>（未知类别）</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="159"/>
        <source>No hours yet today</source>
        <translation>今天还没有服务时长</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="168"/>
        <source>All activities</source>
        <translation>全部活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="208"/>
        <source>on site</source>
        <translation>在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="209"/>
        <source>%1 + on site</source>
        <translation>%1 + 在场</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="261"/>
        <source>%1 to %2 (%n days)</source>
        <translation>
            <numerusform>%1 至 %2（%n 天）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="269"/>
        <source>The last day is before the first.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="280"/>
        <source>%1 visits by %2 volunteers, %3 hours</source>
        <translation>%2 名志愿者签到 %1 次，共 %3 小时</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="286"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="293"/>
        <source>checked in today</source>
        <translation>今日签到人数</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="294"/>
        <source>on site now</source>
        <translation>当前在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="295"/>
        <source>hours today</source>
        <translation>今日服务小时</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="299"/>
        <source>Hours by category today</source>
        <translation>今日各类别服务时长</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="300"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="301"/>
        <source>7 days</source>
        <translation>近 7 天</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="302"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="303"/>
        <source>Save CSV</source>
        <translation>保存 CSV</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="304"/>
        <source>Save Excel</source>
        <translation>保存 Excel</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="305"/>
        <source>Save PDF</source>
        <translation>保存 PDF</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="306"/>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="307"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="308"/>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="309"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="311"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="311"/>
        <source>Visits</source>
        <translation>签到次数</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="311"/>
        <source>Hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="311"/>
        <source>To review</source>
        <translation>待复核</translation>
    </message>
</context>
<context>
    <name>Result</name>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="117"/>
        <location filename="../../kiosk/ui/messages.py" line="154"/>
        <source>Not a volunteer code</source>
        <translation>这不是志愿者二维码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="118"/>
        <location filename="../../kiosk/ui/messages.py" line="155"/>
        <source>Please show your volunteer card&apos;s QR code.</source>
        <translation>请出示您的志愿者证二维码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="121"/>
        <location filename="../../kiosk/ui/messages.py" line="321"/>
        <source>The code could not be read</source>
        <translation>二维码无法识别</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="122"/>
        <source>Hold the card still in the frame and try again.</source>
        <translation>请将二维码放在框内保持不动，再试一次。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="125"/>
        <source>This code is newer than this kiosk</source>
        <translation>二维码版本高于本签到机</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="126"/>
        <source>Please ask the coordinator to update the kiosk.</source>
        <translation>请联系协调员更新签到机。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="131"/>
        <location filename="../../kiosk/ui/messages.py" line="139"/>
        <location filename="../../kiosk/ui/messages.py" line="163"/>
        <location filename="../../kiosk/ui/messages.py" line="171"/>
        <location filename="../../kiosk/ui/messages.py" line="179"/>
        <location filename="../../kiosk/ui/messages.py" line="187"/>
        <location filename="../../kiosk/ui/messages.py" line="239"/>
        <location filename="../../kiosk/ui/messages.py" line="318"/>
        <location filename="../../kiosk/ui/messages.py" line="327"/>
        <location filename="../../kiosk/ui/messages.py" line="398"/>
        <source>Please ask the coordinator for help.</source>
        <translation>请联系现场协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="134"/>
        <source>This kiosk cannot check cards yet</source>
        <translation>本签到机暂时无法核验志愿者证</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="135"/>
        <source>It is not connected to the platform yet. Please ask the coordinator.</source>
        <translation>签到机尚未连接平台，请联系协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="130"/>
        <location filename="../../kiosk/ui/messages.py" line="138"/>
        <source>This volunteer card cannot be verified</source>
        <translation>此志愿者证无法验证</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="142"/>
        <source>This card has expired</source>
        <translation>志愿者证已过期</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="143"/>
        <source>Please renew your card on the volunteer platform.</source>
        <translation>请在志愿服务平台上更新您的志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="146"/>
        <location filename="../../kiosk/ui/messages.py" line="150"/>
        <source>This card has been cancelled</source>
        <translation>此志愿者证已作废</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="147"/>
        <location filename="../../kiosk/ui/messages.py" line="151"/>
        <source>Please use your newest card.</source>
        <translation>请使用您最新的志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="158"/>
        <source>This activity is not open yet</source>
        <translation>活动尚未开启</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="159"/>
        <source>Please ask the coordinator to open it.</source>
        <translation>请联系协调员开启活动。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="162"/>
        <source>This activity has ended</source>
        <translation>活动已结束</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="166"/>
        <source>Check-in has not started yet</source>
        <translation>签到尚未开始</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="167"/>
        <source>Please come back when check-in opens.</source>
        <translation>请在签到开始后再来扫码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="170"/>
        <source>Check-in has closed</source>
        <translation>签到已截止</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="174"/>
        <source>You are not on the sign-up list</source>
        <translation>您不在本活动的报名名单中</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="175"/>
        <source>Please sign up on the volunteer platform or ask the coordinator.</source>
        <translation>请在志愿服务平台报名，或联系现场协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="178"/>
        <source>This activity is full</source>
        <translation>活动人数已满</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="182"/>
        <source>No activity is open</source>
        <translation>当前没有进行中的活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="183"/>
        <source>Please ask the coordinator to scan the activity code.</source>
        <translation>请协调员扫描活动码开启活动。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="186"/>
        <source>Unknown activity</source>
        <translation>未知活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="190"/>
        <source>You are not checked in</source>
        <translation>您尚未签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="191"/>
        <source>Scan your card to check in.</source>
        <translation>请扫码签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="194"/>
        <source>NOT saved: the kiosk&apos;s storage is full</source>
        <translation>未保存：签到机存储空间已满</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="195"/>
        <location filename="../../kiosk/ui/messages.py" line="199"/>
        <source>Your scan was not recorded. Please tell the coordinator.</source>
        <translation>本次扫码未被记录，请告知现场协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="198"/>
        <source>NOT saved: the kiosk could not store this</source>
        <translation>未保存：签到机无法写入记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="202"/>
        <source>Too late to undo</source>
        <translation>已超过可撤销时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="203"/>
        <location filename="../../kiosk/ui/messages.py" line="209"/>
        <source>Please ask the coordinator to correct it.</source>
        <translation>请联系协调员更正。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="205"/>
        <source>Already undone</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="206"/>
        <source>Only the latest scan can be undone</source>
        <translation>只能撤销最近一次扫码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="208"/>
        <source>This cannot be undone</source>
        <translation>此记录无法撤销</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="211"/>
        <source>Nothing to undo</source>
        <translation>没有可撤销的记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="214"/>
        <source>The code on your phone is out of date</source>
        <translation>手机上的签到码已过期</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="215"/>
        <source>Please refresh the check-in code on your phone.</source>
        <translation>请刷新手机上的签到码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="218"/>
        <source>This code has already been used</source>
        <translation>这个签到码已经用过了</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="219"/>
        <source>If you just scanned it, you are recorded. If not, wait for the next code on your phone.</source>
        <translation>如果刚才已经扫过，就已记录好了；如果没有，请等手机上出现新的签到码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="225"/>
        <source>This phone pass is no longer in use</source>
        <translation>这个手机签到码已停用</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="226"/>
        <source>Please use the pass on your newest phone, or your volunteer card.</source>
        <translation>请用您最新手机上的签到码，或用志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="229"/>
        <source>This kiosk does not know your phone pass yet</source>
        <translation>本机还不认识您的手机签到码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="230"/>
        <source>Please use your volunteer card this time.</source>
        <translation>这次请用志愿者证签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="238"/>
        <source>Face check-in is not available for you</source>
        <translation>您无法使用刷脸签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="248"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="249"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="255"/>
        <source>Jan</source>
        <translation>1月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="256"/>
        <source>Feb</source>
        <translation>2月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="257"/>
        <source>Mar</source>
        <translation>3月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="258"/>
        <source>Apr</source>
        <translation>4月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="259"/>
        <source>May</source>
        <translation>5月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="260"/>
        <source>Jun</source>
        <translation>6月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="261"/>
        <source>Jul</source>
        <translation>7月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="262"/>
        <source>Aug</source>
        <translation>8月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="263"/>
        <source>Sep</source>
        <translation>9月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="264"/>
        <source>Oct</source>
        <translation>10月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="265"/>
        <source>Nov</source>
        <translation>11月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="266"/>
        <source>Dec</source>
        <translation>12月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="280"/>
        <source>Total at this kiosk</source>
        <translation>本机累计</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="303"/>
        <source>Recognised by face</source>
        <translation>人脸识别</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="311"/>
        <source>Not me</source>
        <translation>不是我</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="317"/>
        <source>The code on this phone cannot be verified</source>
        <translation>这部手机上的签到码无法验证</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="322"/>
        <source>Hold the phone still in the frame and try again.</source>
        <translation>请将手机放在框内保持不动，再试一次。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="326"/>
        <source>You cannot check in with this phone pass</source>
        <translation>您暂时不能用手机签到码签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="350"/>
        <source>Check-in time</source>
        <translation>签到时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="355"/>
        <source>Check-out time</source>
        <translation>签退时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="356"/>
        <source>This visit</source>
        <translation>本次服务</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="283"/>
        <source>Total so far</source>
        <translation>累计服务</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="424"/>
        <source>Scanned twice by mistake? Then there is nothing else to do.</source>
        <translation>如果只是多扫了一次，无需任何操作。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="436"/>
        <source>Please scan your volunteer card&apos;s QR code</source>
        <translation>请用志愿者证扫码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="437"/>
        <source>The check-out by face was cancelled.</source>
        <translation>刚才的刷脸签退已撤销。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="439"/>
        <source>Please check in with your volunteer card&apos;s QR code</source>
        <translation>请用志愿者证扫码签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="440"/>
        <source>The check-in by face was cancelled.</source>
        <translation>刚才的刷脸签到已撤销。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="446"/>
        <source>Hold it up to the camera, or use the barcode scanner.</source>
        <translation>请将二维码对准摄像头，或使用扫码枪。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="344"/>
        <source>Checked in</source>
        <translation>签到成功</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="286"/>
        <source>Total so far
(as of %1 %2)</source>
        <translation>累计服务
（截至%2%1日）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="288"/>
        <source>Total so far
(as of %1 %2 %3)</source>
        <translation>累计服务
（截至%3年%2%1日）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="347"/>
        <source>Welcome! Thank you for serving.</source>
        <translation>欢迎！感谢您的志愿服务。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="361"/>
        <source>Checked out</source>
        <translation>签退成功</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="364"/>
        <source>Thank you! See you next time.</source>
        <translation>辛苦了！期待下次再见。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="409"/>
        <source>Already checked in at %1</source>
        <translation>您已于 %1 签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="411"/>
        <source>Check out now</source>
        <translation>现在签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="412"/>
        <source>Undo the %1 check-in</source>
        <translation>撤销 %1 的签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="415"/>
        <source>Already checked out at %1</source>
        <translation>您已于 %1 签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="417"/>
        <source>Undo the %1 check-out</source>
        <translation>撤销 %1 的签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="421"/>
        <source>Already recorded</source>
        <translation>已记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="375"/>
        <source>Undone</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="377"/>
        <source>The last scan was cancelled.</source>
        <translation>上一次扫码已撤销。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="385"/>
        <source>Activity open</source>
        <translation>活动已开启</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="387"/>
        <source>Volunteers can check in now.</source>
        <translation>志愿者现在可以签到了。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="397"/>
        <source>Not recorded</source>
        <translation>未记录</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="239"/>
        <source>Nothing to review.</source>
        <translation>没有需要复核的记录。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="257"/>
        <source>The volunteer says they left at %1.</source>
        <translation>志愿者自述离开时间：%1。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="201"/>
        <source>Confirmed with the volunteer</source>
        <translation>已与志愿者核实</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="202"/>
        <source>As on the paper check-in sheet</source>
        <translation>以纸质签到表为准</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="203"/>
        <source>Forgot to check out</source>
        <translation>忘记签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="204"/>
        <source>The time was entered wrongly</source>
        <translation>时间录入有误</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="297"/>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="308"/>
        <source>Keep as it is</source>
        <translation>保持原样</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="298"/>
        <source>Change the times</source>
        <translation>更改时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="305"/>
        <source>Keep check-out %1</source>
        <translation>保留签退时间 %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="311"/>
        <source>Change to check-in %1, check-out %2</source>
        <translation>改为 %1 签到、%2 签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="317"/>
        <source>Change check-out to %1</source>
        <translation>改为 %1 签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="337"/>
        <source>forgot to check out</source>
        <translation>忘记签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="338"/>
        <source>checked out without checking in</source>
        <translation>有签退无签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="339"/>
        <source>very long</source>
        <translation>时间过长</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="340"/>
        <source>overlaps another activity</source>
        <translation>与其他活动时间重叠</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="341"/>
        <source>over the daily limit</source>
        <translation>超过单次上限</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="342"/>
        <source>the clock changed</source>
        <translation>设备时钟有变动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="343"/>
        <source>ends before it starts</source>
        <translation>结束早于开始</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="344"/>
        <source>checked in twice</source>
        <translation>重复签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="351"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="352"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="353"/>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="358"/>
        <source>Checked in</source>
        <translation>签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="354"/>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="359"/>
        <source>Checked out</source>
        <translation>签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="355"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="360"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="361"/>
        <source>Change check-in</source>
        <translation>修改签到时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="362"/>
        <source>Why, in a few words (required)</source>
        <translation>简要说明原因（必填）</translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <location filename="../../kiosk/ui/widgets/search_box.py" line="66"/>
        <location filename="../../kiosk/ui/widgets/search_box.py" line="67"/>
        <source>Clear the search</source>
        <translation>清空搜索</translation>
    </message>
</context>
<context>
    <name>SelfTest</name>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="35"/>
        <source>Coordinator PINs</source>
        <translation>协调员密码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="50"/>
        <source>the clock differs from the platform&apos;s</source>
        <translation>时钟与平台不一致</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="51"/>
        <source>the platform cannot be reached</source>
        <translation>连不上平台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="54"/>
        <source>a coordinator PIN is too short</source>
        <translation>有协调员密码太短</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="24"/>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="25"/>
        <source>Who can read the records</source>
        <translation>谁能读取记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="26"/>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="27"/>
        <source>Database safety setting</source>
        <translation>数据库安全设置</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="28"/>
        <source>Free disk space</source>
        <translation>磁盘剩余空间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="29"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="30"/>
        <source>Clock</source>
        <translation>时钟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="31"/>
        <source>Clock against the platform</source>
        <translation>与平台时间比对</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="32"/>
        <source>Connection to the platform</source>
        <translation>平台连接</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="33"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="34"/>
        <source>Face check-in</source>
        <translation>刷脸签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="43"/>
        <source>the data folder cannot be written</source>
        <translation>数据文件夹无法写入</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="44"/>
        <source>other users can read the records</source>
        <translation>本电脑的其他用户可以读取记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="45"/>
        <source>the database is damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="46"/>
        <source>unsafe database setting</source>
        <translation>数据库设置不安全</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="47"/>
        <source>low disk space</source>
        <translation>磁盘空间不足</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="48"/>
        <source>no camera picture</source>
        <translation>摄像头无画面</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="49"/>
        <source>the clock looks wrong</source>
        <translation>时钟可能不准</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="75"/>
        <source>Ask whoever set up this kiosk to change the database setting (see Details), then restart the kiosk.</source>
        <translation>请联系安装签到机的人修改数据库设置（见“详情”），然后重启签到机。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="98"/>
        <source>Volunteers can still use their QR card. Ask whoever set up this kiosk to install face check-in, or to restore its key from a backup.</source>
        <translation>志愿者仍可使用二维码签到。请联系安装签到机的人安装刷脸签到，或从备份恢复人脸密钥。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="103"/>
        <source>A PIN of fewer than 6 digits can be guessed. Give each coordinator named under Details a new PIN of 6 to 8 digits. A PIN from an older version is measured when it is next used.</source>
        <translation>少于 6 位的密码容易被猜中。请为“详情”中列出的每位协调员设置 6 到 8 位的新密码。旧版本设置的密码会在下次使用时检查长度。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="114"/>
        <source>Restart the kiosk. If this stays, contact support (see Details).</source>
        <translation>请重启签到机。如问题仍在，请联系技术支持（见“详情”）。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="52"/>
        <source>the audit log was changed</source>
        <translation>审计日志被改动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="53"/>
        <source>face check-in unavailable</source>
        <translation>刷脸签到不可用</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="62"/>
        <source>Check-ins cannot be saved. On a USB stick: check its write-protect switch and free space, plug it in again, then restart the kiosk.</source>
        <translation>签到记录无法保存。如使用U盘：请检查写保护开关和剩余空间，重新插好后重启签到机。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="67"/>
        <source>Names and phone numbers should be readable by this computer account only. Restart the kiosk to fix it; on a USB stick, keep the stick with the coordinator.</source>
        <translation>姓名和电话号码应只有本电脑的签到机账户能读取。请重启签到机来修复；若数据在U盘上，请由协调员保管好U盘。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="72"/>
        <source>Restart the kiosk. If this stays, contact support and keep the data folder as it is.</source>
        <translation>请重启签到机。如问题仍在，请联系技术支持，并保持数据文件夹原样。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="80"/>
        <source>Free some space on this disk (old exports, downloads), or check-ins may stop being saved.</source>
        <translation>请清理磁盘空间（旧的导出文件、下载文件），否则签到记录可能无法保存。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="84"/>
        <source>Check the camera&apos;s cable and restart the kiosk. Cards still work with a USB barcode scanner.</source>
        <translation>请检查摄像头连接线并重启签到机。使用USB扫码枪仍可扫码签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="88"/>
        <source>Set this computer&apos;s date, time and time zone.</source>
        <translation>请设置这台电脑的日期、时间和时区。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="89"/>
        <source>Set this computer&apos;s date, time and time zone, or switch on automatic time.</source>
        <translation>请设置这台电脑的日期、时间和时区，或打开自动校时。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="92"/>
        <source>The kiosk keeps working offline and syncs later. Check the network if this lasts.</source>
        <translation>签到机可离线继续工作，稍后自动同步。如长时间如此，请检查网络。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="95"/>
        <source>The record log was changed outside the kiosk. Contact support; keep the data folder.</source>
        <translation>记录日志在签到机之外被改动。请联系技术支持，并保留数据文件夹。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="120"/>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="121"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="122"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_words.py" line="123"/>
        <source>Not used here</source>
        <translation>此处未使用</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="26"/>
        <source>Records can be saved here</source>
        <translation>记录可以正常保存</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="27"/>
        <source>Records are kept on this computer, not on the USB stick</source>
        <translation>记录保存在这台电脑上，而不是 U 盘上</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="28"/>
        <source>Records cannot be saved</source>
        <translation>记录无法保存</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="29"/>
        <source>Only the kiosk can read the records</source>
        <translation>只有签到机能读取记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="30"/>
        <source>The records are on a USB stick: keep it with the coordinator</source>
        <translation>记录保存在 U 盘上：请由协调员保管好 U 盘</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="33"/>
        <source>Other users of this computer can read the records</source>
        <translation>这台电脑的其他用户也能读取记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="34"/>
        <source>The database is intact</source>
        <translation>数据库完好</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="35"/>
        <source>The database is damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="36"/>
        <source>The database can be read but not saved to</source>
        <translation>数据库只能读取，无法保存</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="37"/>
        <source>The database cannot be read</source>
        <translation>无法读取数据库</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="38"/>
        <source>Check-ins are safe in a power cut</source>
        <translation>停电时签到记录不会丢失</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="39"/>
        <source>A power cut could lose check-ins</source>
        <translation>停电可能导致签到记录丢失</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="40"/>
        <source>Enough free disk space</source>
        <translation>磁盘空间充足</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="41"/>
        <source>Disk space is running low</source>
        <translation>磁盘空间不足</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="42"/>
        <source>The disk is almost full</source>
        <translation>磁盘快满了</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="43"/>
        <source>The camera works</source>
        <translation>摄像头正常</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="44"/>
        <location filename="../../kiosk/ui/self_test_results.py" line="45"/>
        <source>No picture from the camera</source>
        <translation>摄像头没有画面</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="46"/>
        <source>No camera here: cards are read by the barcode scanner</source>
        <translation>未使用摄像头：用扫码枪扫志愿者证</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="49"/>
        <source>The date and time look right</source>
        <translation>日期和时间正常</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="50"/>
        <source>The clock is earlier than the last check-in</source>
        <translation>时钟比最近一次签到还早</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="51"/>
        <source>The date is wrong</source>
        <translation>日期不对</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="52"/>
        <source>Agrees with the platform&apos;s clock</source>
        <translation>与平台时间一致</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="53"/>
        <source>A few minutes off the platform&apos;s clock</source>
        <translation>与平台时间相差几分钟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="54"/>
        <source>Far off the platform&apos;s clock</source>
        <translation>与平台时间相差太多</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="55"/>
        <source>The clock was set back</source>
        <translation>时钟被往回调过</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="56"/>
        <source>Never synced: this kiosk has not connected to the platform yet</source>
        <translation>从未同步：本机尚未连接平台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="59"/>
        <source>Not compared yet: it will be at the next sync</source>
        <translation>尚未比对：下次同步时比对</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="62"/>
        <source>Connected to the platform</source>
        <translation>已连接平台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="63"/>
        <source>Cannot reach the platform</source>
        <translation>连不上平台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="64"/>
        <source>Not connected to a platform: used offline</source>
        <translation>未连接平台：离线使用</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="65"/>
        <source>The audit log is intact</source>
        <translation>审计日志完好</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="66"/>
        <source>The audit log was changed</source>
        <translation>审计日志被改动过</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="67"/>
        <source>Face check-in is ready</source>
        <translation>刷脸签到可用</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="68"/>
        <location filename="../../kiosk/ui/self_test_results.py" line="71"/>
        <source>Face check-in is switched off</source>
        <translation>刷脸签到已关闭</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="69"/>
        <source>Face check-in is not installed: QR cards still work</source>
        <translation>未安装刷脸签到：二维码照常可用</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="70"/>
        <source>Enrolled faces cannot be recognised</source>
        <translation>已录入的人脸无法识别</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="72"/>
        <source>Every coordinator PIN is long enough</source>
        <translation>协调员密码长度都足够</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="73"/>
        <source>A coordinator PIN is too short</source>
        <translation>有协调员密码太短</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="74"/>
        <source>The coordinator PINs could not be checked</source>
        <translation>无法检查协调员密码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="75"/>
        <source>No coordinator accounts yet</source>
        <translation>还没有协调员账户</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_test_results.py" line="82"/>
        <source>This check could not run</source>
        <translation>这项检查无法运行</translation>
    </message>
</context>
<context>
    <name>SelfTestPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="117"/>
        <source>Hide details</source>
        <translation>收起详情</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="117"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="121"/>
        <source>Checking… (a few seconds)</source>
        <translation>正在检查……（几秒钟）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="124"/>
        <source>Not checked yet.</source>
        <translation>尚未检查。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="129"/>
        <source>Checked at %1 in %2 s: everything works.</source>
        <translation>%1 检查完毕，用时 %2 秒：一切正常。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="131"/>
        <source>Checked at %1 in %2 s: %n check(s) need a look.</source>
        <translation>
            <numerusform>%1 检查完毕，用时 %2 秒：%n 项需要注意。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="149"/>
        <source>Self-test</source>
        <translation>自检</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="150"/>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="152"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/self_test_page.py" line="154"/>
        <source>Check again</source>
        <translation>重新检查</translation>
    </message>
</context>
<context>
    <name>Setup</name>
    <message>
        <location filename="../../kiosk/ui/setup/deps.py" line="72"/>
        <source>Choose the provisioning file</source>
        <translation>选择接入文件</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/deps.py" line="74"/>
        <source>Provisioning files (*.kbundle);;All files (*)</source>
        <translation>接入文件 (*.kbundle);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="24"/>
        <source>This is a volunteer card or an activity code, not the kiosk&apos;s setup code.</source>
        <translation>这是志愿者证或活动码，不是签到机设置码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="27"/>
        <source>This code has no server address. Ask the platform for the kiosk&apos;s setup QR code.</source>
        <translation>这个码不含服务器地址。请向平台索取签到机设置二维码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="31"/>
        <source>This setup code is newer than this kiosk. Ask for an updated kiosk program.</source>
        <translation>这个设置码的版本比本签到机新。请更新签到机程序。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="34"/>
        <source>This setup code is damaged or incomplete. Ask the platform for a new one.</source>
        <translation>这个设置码已损坏或不完整。请向平台索取新的设置码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="39"/>
        <source>This QR code is not a setup code of the volunteer platform.</source>
        <translation>这个二维码不是志愿服务平台的设置码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="41"/>
        <location filename="../../kiosk/ui/setup/messages.py" line="74"/>
        <location filename="../../kiosk/ui/setup/messages.py" line="82"/>
        <source>Nothing was changed.</source>
        <translation>未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="46"/>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="52"/>
        <source>The server %1 cannot be reached. Check the network cable or Wi-Fi, then scan the code again, or set up offline for now.</source>
        <translation>无法连接服务器 %1。请检查网线或 Wi-Fi 后重新扫码，或选择“暂不连接”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="58"/>
        <source>The platform does not know this setup code. Ask for a new one.</source>
        <translation>平台不认识这个设置码。请索取新的设置码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="60"/>
        <source>This setup code was used already. Ask the platform for a new one.</source>
        <translation>这个设置码已经用过。请向平台索取新的设置码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="62"/>
        <source>The platform knows this kiosk already, under another code. Ask the platform to check it.</source>
        <translation>平台上已有这台签到机（用的是另一个设置码）。请联系平台核查。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="67"/>
        <source>The address %1 does not lead to the platform&apos;s server.</source>
        <translation>地址 %1 不是平台的服务器。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="71"/>
        <source>The kiosk could not save its settings: the disk may be full or locked.</source>
        <translation>签到机无法保存设置：磁盘可能已满或被写保护。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="73"/>
        <source>The server could not register the kiosk now. Try again in a minute.</source>
        <translation>服务器暂时无法注册这台签到机。请过一分钟再试。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="80"/>
        <source>The file %1 cannot be used: %2</source>
        <translation>文件 %1 无法使用：%2</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="95"/>
        <source>No provisioning file (*.kbundle) was found on a USB stick. Plug in the stick with the file from the platform, or choose the file yourself.</source>
        <translation>在 U 盘上没有找到接入文件（*.kbundle）。请插入存有平台文件的 U 盘，或自己选择文件。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="101"/>
        <source>%1 cannot be used: %2</source>
        <translation>%1 无法使用：%2</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="107"/>
        <source>And %1 more that cannot be used (see the log).</source>
        <translation>另有 %1 个文件无法使用（详见日志）。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="114"/>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="121"/>
        <source>Registered with %1 as kiosk %2. It downloads the roster by itself.</source>
        <translation>已在 %1 注册，签到机编号 %2。名册会自动下载。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="126"/>
        <source>Set up for records by USB stick (area %1). Records travel on the stick: Coordinator → USB stick.</source>
        <translation>已设置为用 U 盘传递记录（区域 %1）：协调员 → U 盘。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="132"/>
        <source>Demo data only: it checks in the demo cards, not real volunteers.</source>
        <translation>仅有演示数据：只能为演示志愿者证签到，不能为真实志愿者签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="134"/>
        <source>Signing keys installed by hand: %1.</source>
        <translation>手动安装的签名密钥：%1。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="137"/>
        <source>Not connected to the platform: it cannot check volunteers&apos; cards yet.</source>
        <translation>未连接平台：暂时无法核验志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="143"/>
        <source>No camera: USB barcode scanner only</source>
        <translation>不用摄像头：只用 USB 扫码枪</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="145"/>
        <source>Demo camera (shows the demo cards)</source>
        <translation>演示摄像头（显示演示志愿者证）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="147"/>
        <source>Video file: %1</source>
        <translation>视频文件：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="149"/>
        <source>Pictures folder: %1</source>
        <translation>图片文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/messages.py" line="151"/>
        <source>Camera %1</source>
        <translation>摄像头 %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/provisioning_flow.py" line="201"/>
        <source>Looking on the USB sticks…</source>
        <translation>正在 U 盘上查找…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/provisioning_flow.py" line="286"/>
        <source>The demo data could not be installed: %1</source>
        <translation>无法安装演示数据：%1</translation>
    </message>
</context>
<context>
    <name>SetupHeader</name>
    <message>
        <location filename="../../kiosk/ui/setup/header.py" line="53"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/header.py" line="54"/>
        <source>Connect</source>
        <translation>连接平台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/header.py" line="55"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/header.py" line="56"/>
        <source>Coordinator</source>
        <translation>协调员</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/header.py" line="57"/>
        <source>Ready</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/header.py" line="64"/>
        <source>Exit setup</source>
        <translation>退出设置</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../kiosk/ui/setup/wizard.py" line="182"/>
        <source>Volunteer kiosk setup</source>
        <translation>志愿服务签到机设置</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/wizard.py" line="227"/>
        <source>The account could not be saved: %1</source>
        <translation>无法保存账户：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/wizard.py" line="234"/>
        <source>Another coordinator has this PIN already. Choose another PIN.</source>
        <translation>其他协调员已在使用这个密码，请换一个。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/setup/wizard.py" line="235"/>
        <source>The account could not be added: %1</source>
        <translation>无法添加账户：%1</translation>
    </message>
</context>
<context>
    <name>TimeStepper</name>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="174"/>
        <source>−1 h</source>
        <translation>−1 小时</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="175"/>
        <source>−5 min</source>
        <translation>−5 分钟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="176"/>
        <source>+5 min</source>
        <translation>+5 分钟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="177"/>
        <source>+1 h</source>
        <translation>+1 小时</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/steppers.py" line="178"/>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/steppers.py" line="181"/>
        <source>%n h ago</source>
        <translation>
            <numerusform>%n 小时前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/steppers.py" line="183"/>
        <source>%n min ago</source>
        <translation>
            <numerusform>%n 分钟前</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TouchKeyboard</name>
    <message>
        <location filename="../../kiosk/ui/widgets/touch_keyboard.py" line="250"/>
        <source>Space</source>
        <translation>空格</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/touch_keyboard.py" line="251"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/touch_keyboard.py" line="252"/>
        <source>Hide</source>
        <translation>收起</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/touch_keyboard.py" line="253"/>
        <source>Keyboard</source>
        <translation>键盘</translation>
    </message>
</context>
<context>
    <name>UsbPanel</name>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="109"/>
        <source>USB stick</source>
        <translation>U 盘</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="112"/>
        <source>USB stick: %1</source>
        <translation>U 盘：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="116"/>
        <source>Without a network, records travel on the stick: write them to it, take it to the platform, and bring back its reply to read in.</source>
        <translation>没有网络时，记录用 U 盘传送：先把记录写入 U 盘，交给平台，再把平台的回执带回来读入。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="120"/>
        <source>Write records to the stick</source>
        <translation>把记录写入 U 盘</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="121"/>
        <source>Read the platform&apos;s reply</source>
        <translation>读入平台回执</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="122"/>
        <source>Look again</source>
        <translation>重新查找</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="123"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="131"/>
        <source>Working… do not pull out the stick.</source>
        <translation>正在处理……请勿拔出 U 盘。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="155"/>
        <source>Plug one in, then tap Look again.</source>
        <translation>请插入 U 盘，然后点“重新查找”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="156"/>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="171"/>
        <source>No USB stick found</source>
        <translation>未找到 U 盘</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="167"/>
        <source>This kiosk is not set up for USB transfer yet</source>
        <translation>本签到机尚未设置 U 盘传送</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="168"/>
        <source>Ask the platform for a provisioning file.</source>
        <translation>请向平台索取接入文件。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="172"/>
        <source>Plug the stick in again, then tap Look again.</source>
        <translation>请重新插入 U 盘，然后点“重新查找”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="175"/>
        <source>The stick cannot be written</source>
        <translation>无法写入 U 盘</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="176"/>
        <source>It may be full, or locked by its write-protect switch.</source>
        <translation>U 盘可能已满，或写保护开关处于锁定状态。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="180"/>
        <source>The kiosk could not read its records</source>
        <translation>签到机无法读取记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="181"/>
        <source>Nothing was changed. Restart the kiosk and try again.</source>
        <translation>未做任何更改。请重启签到机后再试。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="188"/>
        <source>Every record is synced.</source>
        <translation>所有记录均已同步。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="193"/>
        <source>%n records exported to the USB stick</source>
        <translation>
            <numerusform>已导出 %n 条记录到 U 盘</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="195"/>
        <source>The stick is ready: no records were waiting</source>
        <translation>U 盘已写好：没有待同步的记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="215"/>
        <source>The platform&apos;s reply could not be read in</source>
        <translation>无法读入平台回执</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="217"/>
        <source>The platform&apos;s reply was read in, but not all of it</source>
        <translation>已读入平台回执，但有文件未能读入</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="219"/>
        <source>The platform&apos;s reply was read in</source>
        <translation>已读入平台回执</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="189"/>
        <source>%n records waiting to sync.</source>
        <translation>
            <numerusform>%n 条记录等待同步。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="196"/>
        <source>Take the stick to the platform. They stay waiting until its reply is read in.</source>
        <translation>请把 U 盘交给平台。读入平台回执之前，这些记录仍保留为等待同步。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="201"/>
        <source>Nothing new from the platform on this stick.</source>
        <translation>U 盘上没有平台的新回执或更新。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="205"/>
        <source>%n records confirmed by the platform.</source>
        <translation>
            <numerusform>平台已确认 %n 条记录。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="206"/>
        <source>%n changes to the roster and activities.</source>
        <translation>
            <numerusform>名册和活动已更新 %n 项。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="210"/>
        <source>%n files refused (damaged, changed, or not for this kiosk): %1</source>
        <translation>
            <numerusform>%n 个文件被拒绝（已损坏、被改动或不属于本签到机）：%1</numerusform>
        </translation>
    </message>
</context>
</TS>
